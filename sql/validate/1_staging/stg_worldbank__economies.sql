-- The World Bank country list (GET /v2/country; pages `[header, rows]`): codes, names, region,
-- income group, lending type, capital. Rows whose region id is NA are the Bank's aggregates.
-- batched: files
-- Read typed, as read/worldbank.sql reads the indicator pages (worldbank_rows).
select
    r.id as code,
    nullif(r.iso2Code, '') as iso2,
    trim(r.name) as name,
    case when r.region.id <> 'NA' then nullif(trim(r.region.id), '') end as region_id,
    case when r.region.id <> 'NA' then nullif(trim(r.region.value), '') end as region,
    case when r.region.id <> 'NA' then nullif(trim(r.incomeLevel.id), '') end as income_id,
    case when r.region.id <> 'NA' then nullif(trim(r.incomeLevel.value), '') end as income_group,
    case when r.region.id <> 'NA' then nullif(trim(r.lendingType.value), '') end as lending_type,
    nullif(trim(r.capitalCity), '') as capital_city,
    try_cast(nullif(r.longitude, '') as double) as longitude,
    try_cast(nullif(r.latitude, '') as double) as latitude,
    r.region.id = 'NA' as is_aggregate
from worldbank_rows($files, $shape)
