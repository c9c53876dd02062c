-- The rows that passed every row rule: what is stored, and what the soft rules read.
-- materialized: view
select * exclude (value_text, has_value, passed) from row_outcomes where has_value and passed
