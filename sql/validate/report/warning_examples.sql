-- The first warnings of rule $rule, for the report.
select v.economy, v.series, v."year", v.value, w.detail
from warnings w join row_outcomes v using (rid)
where w.rule = $rule order by v.series, v.economy, v."year" limit 20
