-- A local file's rows in one shape whatever its layout: the cells of `raw_file` with a value
-- joined to `file_roles`, which names the column of each role of the files list's `columns:`
-- (economy, year, value, series, note, source_note, status) and, in a wide file, each year
-- column (role year_column). Value texts listed as missing ($missing) become NULL; rows whose
-- economy is an excluded name ($exclude) are marked.
with cells as (
    select c.row_no, r.role, c.column_name, c.cell
    from (unpivot raw_file on columns(* exclude (row_no))
          into name column_name value cell) c
    join file_roles r using (column_name)
), per_row as (
    select row_no,
           max(cell) filter (where role = 'economy') as economy_text,
           max(cell) filter (where role = 'series') as label,
           max(cell) filter (where role = 'year') as year_text,
           max(cell) filter (where role = 'value') as value_text,
           max(cell) filter (where role = 'note') as note,
           max(cell) filter (where role = 'source_note') as source_note,
           max(cell) filter (where role = 'status') as status_text
    from (select row_no, role, cell from cells
          union all select row_no, null, null from raw_file)  -- rows with no mapped cell too
    group by row_no
), year_cells as (  -- a wide file: one row per year column with a value
    select row_no, column_name as year_text, cell as value_text
    from cells where role = 'year_column' and cell is not null
), rows as (
    select p.row_no, p.economy_text, p.label, p.year_text, p.value_text, p.note,
           p.source_note, p.status_text
    from per_row p where not $wide
    union all
    select p.row_no, p.economy_text, p.label, y.year_text, y.value_text, p.note,
           p.source_note, p.status_text
    from per_row p join year_cells y using (row_no) where $wide
)
select row_no, trim(economy_text) as economy_text, trim(label) as label,
       year_text, case when trim(value_text) in (select * from unnest($missing))
                       then null else trim(value_text) end as value_text,
       nullif(trim(note), '') as note, nullif(trim(source_note), '') as source_note,
       nullif(trim(status_text), '') as status_text,
       lower(trim(economy_text)) in (select lower(x) from unnest($exclude) t(x)) as excluded
from rows
