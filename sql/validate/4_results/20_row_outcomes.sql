-- Every candidate row again, with what the rules made of it: whether it has a value and whether
-- it passed (broke no row rule). Everything after the rules reads this table, not int_checked
-- (dropped next, to free its memory): the outputs, the report, and valid_rows (the soft rules,
-- one vintage file per series). Not sorted: the staged pages were read in the order of source,
-- series and page (pipeline/tidy.py), so the rows of a series already lie together in a few
-- blocks and a vintage's query skips the rest (sorting them took 10 s at 20M rows). It keeps
-- every row, with a value or not, so its columns have int_checked's statistics (the Parquet
-- writer encodes a column it knows has no NULL otherwise, and the stored files stay byte for
-- byte what they were).
select c.rid, c.economy, c.series, c."year", c.value, c.source, c.source_code, c.obs_status,
       c.vintage, c.raw_sha256, c.note, c.source_note, c.value_text, c.has_value,
       q.rid is null as passed
from int_checked c left join quarantined q using (rid)
