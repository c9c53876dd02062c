-- Every row of every local file pull (pipeline/sources/files.py reads each file into
-- `file_rows`; all_file_rows_add.sql appends them here).
create or replace table all_file_rows (path varchar, source varchar, row_no bigint,
    economy_text varchar, label varchar, year_text varchar, value_text varchar, note varchar,
    source_note varchar, status_text varchar, excluded boolean)
