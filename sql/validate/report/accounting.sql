-- Row accounting per source and series: rows in = no value + stored + quarantined.
select source, series,
       count(*) as rows_in,
       count(*) filter (where not has_value) as no_value,
       count(*) filter (where has_value and passed) as stored,
       count(*) filter (where not passed) as quarantined
from row_outcomes
group by all
