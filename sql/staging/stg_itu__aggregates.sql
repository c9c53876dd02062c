-- ITU's regions whose aggregates are pulled (GET /v2/region/all, the classes indicators/
-- sources.yml lists), as economies: our code (prefix + regionCode), ITU's id, code, name and
-- class, and the group of ours (int_group_members) each is ITU's figure for.
create or replace table staging.stg_itu__aggregates as
select
    iso3,
    itu_agg_region_id as region_id,
    itu_agg_code as code,
    itu_agg_name as name,
    itu_agg_class as "class",
    itu_agg_group_type as group_type,
    itu_agg_group_code as group_code
from read_parquet(getvariable('processed_dir') || '/economies.parquet')
where itu_agg_code is not null;
