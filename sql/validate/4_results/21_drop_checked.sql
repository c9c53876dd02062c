-- row_outcomes holds what the rest of validate reads: free int_checked (memory, at scale) and
-- the rule views over it (Great Expectations has run).
drop view rows_to_check;
drop table int_checked;
