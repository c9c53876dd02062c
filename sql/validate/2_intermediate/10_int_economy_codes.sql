-- Every code a source's country list uses, and the economy code it stands for: a World Bank
-- aggregate stays itself, a mapped code becomes its target, an ISO 3166-1 code or a kept code
-- stays itself; anything else is unmapped (iso3 null): warned about, its rows quarantined.
with listed as (
    select 'worldbank' as source, code, name, is_aggregate from stg_worldbank__economies
    union all
    select 'itu', code, short_name, false from stg_itu__economies
)
select
    l.source, l.code, l.name,
    case when l.is_aggregate then 'aggregate' when m.iso3 is not null then 'map'
         when i.alpha_3 is not null then 'iso' when k.code is not null then 'keep' end as mapping,
    case when l.is_aggregate then l.code else coalesce(m.iso3, i.alpha_3, k.code) end as iso3
from listed l
left join input.economy_map m on m.kind = 'code' and m.source = l.source and m.code = l.code
left join stg_iso__countries i on i.alpha_3 = l.code
left join input.economy_map k on k.kind = 'keep' and k.code = l.code
