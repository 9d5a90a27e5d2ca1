"""What people search for and what they mean by it: the alias dictionary administrators edit,
and the daily counts of queries (without who asked) that show editors where search fails."""
