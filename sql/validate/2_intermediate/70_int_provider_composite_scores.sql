-- ITU's published IDI scores on our economy codes: a country's by ITU's CountryID in the
-- merged economy table, a region's as ITU's aggregates are coded (the catalog's prefix + its
-- regionCode: ITU.ARB, ITU.WORLD...), with the node's code from ITU's tree.
select
    s.edition,
    coalesce(e.iso3, c.code_prefix || upper(r.code)) as economy,
    s.country_id,
    s.region_id,
    s.code_id,
    n.code,
    s.score,
    s.raw_sha256
from stg_itu_idi__scores s
left join stg_itu_idi__nodes n using (code_id)
left join int_economies e on e.itu_country_id = s.country_id and not e.is_aggregate
left join stg_itu__regions r on r.region_id = s.region_id
left join input.catalog_aggregate_classes c on c."class" = r."class"
