-- Economy names as the sources spell them, for files that give names: a name that stands for
-- two economies is left out (ambiguous), so it is reported as unmapped.
with names as (
    select iso3, unnest(names) as name from int_economies
)
select lower(trim(name)) as name_key, min(iso3) as iso3
from names where name is not null
group by 1 having count(distinct iso3) = 1
