-- ITU's published IDI scores (GET /idi/data/bycountryid/{id} and /idi/region/byregionid/{id},
-- pages 3 on of the itu_idi pull): one row per record, a country's or a region's.
-- batched: files
with rows as (
    select filename, unnest(from_json(json, $shape)) as r
    from read_json_objects($files, format = 'unstructured', filename = true)
)
select
    r.countryID as country_id,
    r.regionID as region_id,
    r.codeID as code_id,
    r.dataYear as edition,
    r.score,
    parse_filename(filename) as raw_sha256
from rows
