-- One row per economy, series, year and source.
select economy, series, "year", source, count(*) as n
from observations
group by all
having count(*) > 1
