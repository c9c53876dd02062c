-- The rows that passed every row rule: what is stored, and what the soft rules read.
-- materialized: view
select * exclude (has_value, passed) from row_outcomes where has_value and passed
