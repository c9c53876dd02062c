-- ITU's aggregates (GET /v2/aggregation/bycodeid/{codeID}/byregionid/{regionID}): one record
-- per year, the value a number in answer[0]; the region is named, its id is not the one asked.
-- batched: files
with rows as (
    select filename, unnest(from_json(json, $shape)) as r
    from read_json_objects($files, format = 'unstructured', filename = true)
), sent as (
    select filename, r, itu_answer(r.answer) as answer from rows  -- macros.sql
)
select
    filename,
    r.regionName as region_name,
    try_cast(r.dataYear as smallint) as "year",
    try_cast(answer as double) as number,
    as_sent(r.dataYear, "year") as date_text,
    as_sent(answer, number) as value_text
from sent
