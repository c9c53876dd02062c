-- The corrections register (indicators/corrections.yml) with the rows each entry matched, as
-- `ictp validate` stored it (corrections.parquet).
create or replace table staging.stg_ictp__corrections as
select series, economy, year_from, year_to, source, action, value, reason, reported_upstream,
       rows_matched
from read_parquet(getvariable('tables_dir') || '/corrections.parquet');
