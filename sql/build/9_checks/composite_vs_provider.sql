-- Our composite scores that differ from ITU's published ones by more than 0.5 points (or that
-- ITU publishes and we cannot compute), per composite, edition, economy and node.
select composite, edition, economy, node, provider_code, ours, provider, difference, note
from composite_vs_provider
where ours is null or not within_half_point
order by composite, edition, node, economy
