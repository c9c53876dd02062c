-- The raw pages of the latest good pulls (listed by pipeline/tidy.py as `pages_df`): the file,
-- the catalog series and source its rows are, the source's vintage, how its economies are given
-- (code or name, and whose code map), the words of a note marking an estimate, when its pull
-- finished (ISO 8601 text, UTC) and the source's own last-updated date (its vintage's:
-- pipeline/vintages.py).
-- series_no and source_no number the series and sources in their text's order (1, 2, ...): the
-- rows carry them (int_checked) so that a sort or partition by series and source compares
-- integers rather than text, in the same order.
-- Every column is cast to its type: a frame column holding only None (estimate_prefix where
-- no source marks estimates; all of them when no page was read) would otherwise be of the type
-- NULL, and so would the stored tables' series and source columns made from it.
create or replace table pages as
select cast(path as varchar) as path, cast(sha256 as varchar) as sha256,
       cast(series as varchar) as series, cast(source as varchar) as source,
       cast(source_code as varchar) as source_code, cast(vintage as date) as vintage,
       cast(economy_by as varchar) as economy_by, cast(code_system as varchar) as code_system,
       cast(estimate_prefix as varchar) as estimate_prefix,
       cast(retrieved as varchar) as retrieved,
       cast(source_updated as date) as source_updated, cast(reader as varchar) as reader,
       dense_rank() over (order by series) as series_no,
       dense_rank() over (order by source) as source_no
from pages_df
