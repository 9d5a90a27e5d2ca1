"""What this process is for, set by its entry point: ``web`` (the default: web servers, the
CLI, tests) or ``worker`` (``gongkai worker``). A worker runs jobs for every server and keeps
no search index of its own: changes it commits reach the servers' indexes through the log."""

role = "web"
