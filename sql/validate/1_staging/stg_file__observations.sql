-- Local files (files.yml): every row of every file pull, as pipeline/sources/files.py read it,
-- the year and the value cast; the texts as sent only where they do not parse (as_sent).
select f.path, f.source, f.row_no, f.economy_text, f.label,
       try_cast(try_cast(trim(f.year_text) as double) as smallint) as "year",
       try_cast(trim(f.value_text) as double) as number,
       as_sent(f.year_text, "year") as date_text,
       as_sent(f.value_text, number) as value_text,
       f.note, f.source_note, f.status_text, f.excluded
from all_file_rows f
