-- The rows that passed every row rule: what is stored, and what the soft rules read.
-- materialized: view
select c.* from int_checked c anti join quarantined q using (rid) where c.has_value
