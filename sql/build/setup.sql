-- The build's schemas, and where the Parquet files `ictp validate` stored lie (staging reads
-- them through getvariable('tables_dir'): the current generation of processed/tables; the
-- run manifests through getvariable('processed_dir'); the kept vintages' files through
-- getvariable('vintage_files'), which pipeline/build.py lists).
create schema if not exists input;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists qa;
set variable processed_dir = $processed_dir;
set variable tables_dir = $tables_dir;
set variable vintage_files = $vintage_files;
