-- World Bank indicator pages (GET /v2/country/all/indicator/{code}; `[header, rows]`): one row
-- per economy-year. The value is read as text, so a number and a stray string can be told apart.
-- batched: files
with pages as (
    select filename, j
    from read_json($files, format = 'array', records = false, columns = {j: 'JSON'},
                   filename = true)
    where json_type(j) = 'ARRAY'
), rows as (
    select filename, unnest(from_json(j, $shape)) as r from pages
)
select
    filename,
    nullif(r.countryiso3code, '') as iso3_code,
    r.country.id as country_id,
    r.date as date_text,
    r.value as value_text,
    try_cast(r.value as double) as number,
    nullif(r.obs_status, '') as obs_status
from rows
