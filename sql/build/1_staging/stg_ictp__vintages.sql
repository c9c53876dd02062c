-- Every vintage `ictp validate` kept (vintages.parquet, read back from processed/vintages/): one
-- row per vintage of a series from a source, numbered in order.
create or replace table staging.stg_ictp__vintages as
select
    source,
    series,
    vintage_id,
    cast(number as integer) as number,
    previous_id,
    cast(retrieved as timestamptz) as retrieved,
    cast(source_updated as date) as source_updated,
    pages,
    cast("rows" as bigint) as "rows",
    path
from read_parquet(getvariable('tables_dir') || '/vintages.parquet');
