-- provider_composite_scores.parquet: ITU's published IDI scores (int_provider_composite_scores).
select * from int_provider_composite_scores order by edition, economy, country_id, region_id, code_id
