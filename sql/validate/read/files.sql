-- Local files (files.yml): the rows of every file pull (stg_file__observations, as
-- pipeline/sources/files.py read them), but for the excluded names; as read/int_checked.sql
-- reads every reader's rows. A file's rows say which of its pulls they are (source, label): one
-- file can be pulled for several series.
select
    path as filename,
    rowid as idx,  -- (row_no repeats in a wide file: a row per year)
    economy_text,
    "year",
    number,
    date_text,
    value_text,
    status_text as obs_status,  -- else 'E' where the note marks an estimate (int_checked.sql)
    note,
    source_note,
    source,
    label
from stg_file__observations
where not excluded
