-- ITU's country list (GET /v2/country/all): CountryID, its IsoCode, names, every grouping.
create or replace table staging.stg_itu__economies as
select
    iso3,
    itu_code as code,
    itu_country_id as country_id,
    itu_short_name as short_name,
    itu_long_name as long_name,
    itu_groups as "groups"
from read_parquet(getvariable('processed_dir') || '/economies.parquet')
where itu_code is not null;
