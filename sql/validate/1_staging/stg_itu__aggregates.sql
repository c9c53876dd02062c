-- ITU's aggregates (GET /v2/aggregation/bycodeid/{codeID}/byregionid/{regionID}): one record
-- per year, the value a number in answer[0]; the region is named, its id is not the one asked.
-- batched: files
with rows as (
    select filename, unnest(from_json(json, $shape)) as r
    from read_json_objects($files, format = 'unstructured', filename = true)
)
select
    filename,
    r.regionName as region_name,
    r.dataYear as date_text,
    nullif(trim(r.answer[1].value ->> '$'), '') as value_text
from rows
