-- ITU DataHub series (GET /v2/data/bycode/{codeID}): one record per country-year, the value a
-- string in answer[0] (macro itu_rows, macros.sql); as read/int_checked.sql reads every
-- reader's rows.
select
    filename,
    idx,
    r.isoCode as economy_text,
    try_cast(r.dataYear as smallint) as "year",
    try_cast(answer as double) as number,
    as_sent(r.dataYear, "year") as date_text,
    as_sent(answer, number) as value_text,
    null::varchar as obs_status,  -- 'E' where the note marks an estimate (read/int_checked.sql)
    nullif(trim(r.dataNote), '') as note,
    nullif(trim(r.dataSource), '') as source_note,
    null::varchar as source,
    null::varchar as label
from itu_rows($files, $shape)
