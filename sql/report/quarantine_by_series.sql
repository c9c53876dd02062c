-- Quarantined rows per series and source, with the reason of the first of them.
select series, source, count(*) as "rows",
       min(reason) as first_reason
from quarantine
group by all
order by series, source
