-- ITU's aggregates (GET /v2/aggregation/bycodeid/{codeID}/byregionid/{regionID}): one record
-- per year, the value a number in answer[0] (macro itu_rows, macros.sql); the region is named,
-- its id is not the one asked. The region is matched by its name to ITU's region list; a name
-- the list lacks stays as it is, so it is warned about and its rows quarantined.
select
    s.filename,
    s.idx,
    coalesce(a.iso3, s.r.regionName) as economy_text,
    try_cast(s.r.dataYear as smallint) as "year",
    try_cast(s.answer as double) as number,
    as_sent(s.r.dataYear, "year") as date_text,
    as_sent(s.answer, number) as value_text,
    null::varchar as obs_status,
    null::varchar as note,
    null::varchar as source_note,
    null::varchar as source,
    null::varchar as label
from itu_rows($files, $shape) s
left join int_itu_aggregate_regions a on a.name = s.r.regionName
