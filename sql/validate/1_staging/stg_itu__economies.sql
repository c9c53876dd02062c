-- ITU's country list (GET /v2/country/all): CountryID, its IsoCode, names, every grouping.
-- batched: files
select
    r.IsoCode as code,
    r.CountryID as country_id,
    trim(r.ShortName) as short_name,
    trim(r.LongName) as long_name,
    r.Regions as "groups"
from (select unnest(from_json(json, $shape)) as r
      from read_json_objects($files, format = 'unstructured'))
