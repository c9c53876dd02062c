-- economy codes that no mapping covers (each says how many of its rows with a value were
-- quarantined; rows without a value are only counted): map them in
-- indicators/economies/map.yml under codes: or keep:
with unmapped as (
    select source, code, name from int_economy_codes where iso3 is null
    union all
    select c.source, c.economy_text, null from int_sent_mapped c
    where c.economy = c.economy_text and c.economy_text not in (select iso3 from int_economies)
      and c.source not in (select source from input.file_names_by)
), quarantined as (
    select source, economy as code, count(*) as n
    from int_checked
    where has_value and economy not in (select iso3 from int_economies)
    group by all
)
select u.source || ' ' || u.code || coalesce(' (' || max(u.name) || ')', '')
       || case when max(q.n) > 0 then format(' ({} rows quarantined)', max(q.n))
               else ' (no rows with a value)' end as item
from unmapped u
left join quarantined q on q.source = u.source and q.code = u.code
group by u.source, u.code order by 1
