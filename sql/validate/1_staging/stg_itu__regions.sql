-- ITU's region list (GET /v2/region/all): every region of every class.
-- batched: files
select
    r.regionID as region_id,
    trim(r.regionCode) as code,
    r.regionName as name,
    r.className as "class"
from (select unnest(from_json(json, $shape)) as r
      from read_json_objects($files, format = 'unstructured'))
