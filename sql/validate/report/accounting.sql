-- Row accounting per source and series: rows in = no value + stored + quarantined.
select source, series,
       count(*) as rows_in,
       count(*) filter (where not has_value) as no_value,
       count(*) filter (where has_value and q.rid is null) as stored,
       count(q.rid) as quarantined
from int_checked left join quarantined q using (rid)
group by all
