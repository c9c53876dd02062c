-- Local files (files.yml): every row of every file pull, as pipeline/sources/files.py read it.
select path, source, row_no, economy_text, label, year_text, value_text, note, source_note,
       status_text, excluded
from all_file_rows
