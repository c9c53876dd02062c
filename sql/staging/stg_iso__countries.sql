-- ISO 3166-1 countries (pycountry): alpha-2, alpha-3, numeric (= UN M49 for countries), names.
create or replace table staging.stg_iso__countries as
select
    iso3,
    iso_alpha2 as alpha2,
    iso_numeric as "numeric",
    iso_name as name,
    iso_official_name as official_name,
    iso_common_name as common_name
from read_parquet(getvariable('processed_dir') || '/economies.parquet')
where iso_alpha2 is not null;
