-- ITU's regions whose aggregates are pulled (the classes indicators/sources.yml lists), as
-- economies: our code is the catalog's prefix + the regionCode in capitals; group_type and
-- group_code say which of our groups (sql/build/2_intermediate/50_int_group_members.sql) each
-- is ITU's figure for. One row per region name (aggregate records name their region).
select
    c.code_prefix || upper(r.code) as iso3,
    r.region_id,
    r.code,
    r.name,
    r."class",
    c.group_type,
    coalesce(c.group_code, r.code) as group_code
from stg_itu__regions r
join input.catalog_aggregate_classes c on c."class" = r."class"
qualify row_number() over (partition by r.name order by r.region_id) = 1
