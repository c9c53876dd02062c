-- Country rows of sources whose licence forbids commercial use: what --redistributable leaves
-- out (their economy-years appear only where another source has a figure).
select o.series, o.source, s.licence, count(*) as rows
from observations o
join economies e on e.iso3 = o.economy and not e.is_aggregate
join series s on s.series = o.series and s.source = o.source
where not s.commercial_use
group by all order by all
