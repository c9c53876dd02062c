-- economy codes that two codes of one source map to (only one is used)
select source || ' ' || string_agg(code, '+' order by code) || ' -> ' || iso3 as item
from int_economy_codes where iso3 is not null
group by source, iso3 having count(*) > 1 order by 1
