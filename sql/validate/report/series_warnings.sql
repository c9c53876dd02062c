-- Warnings per source and series.
select source || ':' || series as key, count(*) as count
from warnings join row_outcomes using (rid)
group by all
