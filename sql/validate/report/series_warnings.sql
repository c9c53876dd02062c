-- Warnings per source and series.
select source || ':' || series as key, count(*) as count
from warnings join int_checked using (rid)
group by all
