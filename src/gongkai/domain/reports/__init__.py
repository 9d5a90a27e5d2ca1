"""Annual reports (政府信息公开工作年度报告): formats as data, aggregation from the facts
each context hands over, the arithmetic identities, and the checker for published reports."""
