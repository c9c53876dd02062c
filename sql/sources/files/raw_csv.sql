-- A local CSV file (or .csv.gz) at $path as it is: every cell as text, each row numbered as
-- the file numbers it (the header is row $header_row).
create or replace temp table raw_file as
select row_number() over () + $header_row as row_no, *
from read_csv($path, all_varchar = true, header = true, skip = $header_row - 1,
              compression = $compression, auto_detect = true)
