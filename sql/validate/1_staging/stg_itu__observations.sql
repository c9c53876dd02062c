-- ITU DataHub series (GET /v2/data/bycode/{codeID}): one record per country-year, the value a
-- string in answer[0].
-- batched: files
with rows as (
    select filename, unnest(from_json(json, $shape)) as r
    from read_json_objects($files, format = 'unstructured', filename = true)
)
select
    filename,
    r.isoCode as iso_code,
    r.dataYear as date_text,
    nullif(trim(r.answer[1].value ->> '$'), '') as value_text,
    nullif(trim(r.dataNote), '') as note,
    nullif(trim(r.dataSource), '') as source_note
from rows
