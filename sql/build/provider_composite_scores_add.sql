-- The rows of $path (provider_composite_scores.parquet) into input.provider_composite_scores.
insert into input.provider_composite_scores
select edition, economy, country_id, region_id, code_id, code, score, raw_sha256
from read_parquet($path)
