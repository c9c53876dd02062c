-- Every candidate row again, with what the rules made of it: whether it has a value and whether
-- it passed (broke no row rule). Everything after the rules reads this view, not int_checked:
-- the outputs, the report, and valid_rows (the soft rules, one vintage file per series). A view,
-- not a copy (copying 20M rows took 5 s): each query reads int_checked's own blocks, and a
-- filter on series skips the rest, since the pages were read in the order of source,
-- series and page (pipeline/tidy.py), so the rows of a series lie together in a few blocks.
-- The columns keep int_checked's statistics (the Parquet writer encodes a column it knows has
-- no NULL otherwise, and the stored files stay byte for byte what they were). economy_no,
-- series_no and source_no (int_checked) are what the outputs sort by and the soft rules
-- partition by: the text's order at integer cost.
-- materialized: view
select c.rid, c.economy, c.series, c."year", c.value, c.source, c.source_code, c.obs_status,
       c.vintage, c.raw_sha256, c.note, c.source_note, c.value_text, c.has_value,
       q.rid is null as passed, c.economy_no, c.series_no, c.source_no
from int_checked c left join quarantined q using (rid)
