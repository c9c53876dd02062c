-- warnings.parquet: stored rows a soft rule flagged, with the rule and why, sorted by rule,
-- series, economy, year and source (their numbers: the same order, int_checked).
select economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256,
       note, source_note, w.rule, w.detail
from row_outcomes join warnings w using (rid)
order by w.rule, series_no, economy_no, "year", source_no
