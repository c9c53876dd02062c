-- A correction that matches no stored row is stale or mistyped.
select series, economy, year_from, year_to, source, action, reason
from corrections
where rows_matched = 0
