-- World Bank indicator pages (GET /v2/country/all/indicator/{code}; `[header, rows]`): one row
-- per economy-year, as read/int_checked.sql reads every reader's rows. The value is read as
-- text, so a number and a stray string can be told apart.
-- The rows are read typed, the JSON parsed once (macro worldbank_rows, macros.sql).
select
    filename,
    idx,
    -- the ISO3 code; where it is missing, the country list's code for the ISO2 one, else that
    coalesce(nullif(r.countryiso3code, ''), e.code, r.country.id) as economy_text,
    try_cast(r.date as smallint) as "year",
    try_cast(r.value as double) as number,
    -- the texts only where they do not parse (as_sent, macros.sql): nothing else reads them
    as_sent(r.date, "year") as date_text,
    as_sent(r.value, number) as value_text,
    nullif(r.obs_status, '') as obs_status,
    null::varchar as note,
    null::varchar as source_note,
    null::varchar as source,  -- (a local file's rows say which of its pulls they are)
    null::varchar as label
from worldbank_rows($files, $shape) w
left join stg_worldbank__economies e
    on nullif(w.r.countryiso3code, '') is null and e.iso2 = w.r.country.id
