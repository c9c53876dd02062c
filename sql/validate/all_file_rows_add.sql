-- One file's rows (`file_rows`, read from $path for source $source), appended.
insert into all_file_rows
select $path, $source, row_no, economy_text, label, year_text, value_text, note, source_note,
       status_text, excluded
from file_rows
