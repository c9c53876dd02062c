-- World Bank indicator pages (GET /v2/country/all/indicator/{code}; `[header, rows]`): one row
-- per economy-year. The value is read as text, so a number and a stray string can be told apart.
-- batched: files
-- The rows are read typed, the JSON parsed once (macro worldbank_rows, macros.sql).
select
    filename,
    nullif(r.countryiso3code, '') as iso3_code,
    -- the ISO2 code only where the ISO3 one is missing, and the texts only where they do not
    -- parse (as_sent, pages.sql): the staged table stores no text that nothing reads
    case when iso3_code is null then r.country.id end as country_id,
    try_cast(r.date as smallint) as "year",
    try_cast(r.value as double) as number,
    as_sent(r.date, "year") as date_text,
    as_sent(r.value, number) as value_text,
    nullif(r.obs_status, '') as obs_status
from worldbank_rows($files, $shape)
