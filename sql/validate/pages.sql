-- The raw pages of the latest good pulls (listed by pipeline/tidy.py as `pages_df`): the file,
-- the catalog series and source its rows are, the source's vintage, how its economies are given
-- (code or name, and whose code map), the words of a note marking an estimate, when its pull
-- finished (ISO 8601 text, UTC) and the source's own last-updated date (its vintage's:
-- pipeline/vintages.py).
-- series_no and source_no number the series and sources in their text's order (1, 2, ...): the
-- rows carry them (int_checked) so that a sort or partition by series and source compares
-- integers rather than text, in the same order. page_no numbers the pages (a row's rid).
create or replace table pages as
select path, sha256, series, source, source_code, cast(vintage as date) as vintage, economy_by,
       code_system, estimate_prefix, retrieved,
       cast(source_updated as date) as source_updated, reader,
       dense_rank() over (order by series) as series_no,
       dense_rank() over (order by source) as source_no,
       row_number() over (order by path, source, source_code) as page_no
from pages_df
