-- `ictp composite show NAME`: how far ours is from the provider's published scores of
-- $composite's edition $edition, per node, where it publishes them.
select node, provider_code, published, compared, within_half_point,
       within_half_point_pct as pct, round(max_abs_difference, 2) as max_diff
from composite_vs_provider_summary
where composite = $composite and edition = $edition
order by node
