-- The raw pages of the latest good pulls (listed by pipeline/tidy.py as `pages_df`): the file,
-- the catalog series and source its rows are, the source's vintage, how its economies are given
-- (code or name, and whose code map), the words of a note marking an estimate, when its pull
-- finished (ISO 8601 text, UTC) and the source's own last-updated date (its vintage's:
-- pipeline/vintages.py); and `estimate_marked(note, words)`: whether a note has the words
-- marking an estimate (the catalog's estimate_prefix) anywhere, in any case, however many
-- spaces or line breaks stand between them ("SITTEL. ITU estimate.", "RATEL.\nITU  estimate.").
-- series_no and source_no number the series and sources in their text's order (1, 2, ...): the
-- rows carry them (int_checked) so that a sort or partition by series and source compares
-- integers rather than text, in the same order.
create or replace macro estimate_words(t) as trim(regexp_replace(lower(t), '\s+', ' ', 'g'));
create or replace macro estimate_marked(note, words) as
    contains(estimate_words(note), estimate_words(words));
create or replace table pages as
select path, sha256, series, source, source_code, cast(vintage as date) as vintage, economy_by,
       code_system, estimate_prefix, retrieved,
       cast(source_updated as date) as source_updated, reader,
       dense_rank() over (order by series) as series_no,
       dense_rank() over (order by source) as source_no
from pages_df
