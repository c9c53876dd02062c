-- ITU DataHub series (GET /v2/data/bycode/{codeID}): one record per country-year, the value a
-- string in answer[0].
-- batched: files
with rows as (
    select filename, unnest(from_json(json, $shape)) as r
    from read_json_objects($files, format = 'unstructured', filename = true)
), sent as (
    select filename, r, itu_answer(r.answer) as answer from rows  -- macros.sql
)
select
    filename,
    r.isoCode as iso_code,
    try_cast(r.dataYear as smallint) as "year",
    try_cast(answer as double) as number,
    as_sent(r.dataYear, "year") as date_text,
    as_sent(answer, number) as value_text,
    nullif(trim(r.dataNote), '') as note,
    nullif(trim(r.dataSource), '') as source_note
from sent
