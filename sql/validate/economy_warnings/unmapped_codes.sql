-- economy codes that no mapping covers (their rows are quarantined): map them in
-- indicators/economies/map.yml under codes: or keep:
select source || ' ' || code || coalesce(' (' || max(name) || ')', '') as item
from (
    select source, code, name from int_economy_codes where iso3 is null
    union all
    select c.source, c.economy_text, null from int_sent_mapped c
    where c.economy = c.economy_text and c.economy_text not in (select iso3 from int_economies)
      and c.source not in (select source from input.file_names_by)
) group by source, code order by 1
