-- warnings.parquet: stored rows a soft rule flagged, with the rule and why.
select economy, series, "year", value, source, source_code, obs_status, vintage, raw_sha256,
       note, source_note, w.rule, w.detail
from row_outcomes join warnings w using (rid)
order by w.rule, series, economy, "year", source
