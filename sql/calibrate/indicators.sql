-- The indicators of composite $composite's edition $edition with their transform, goalposts,
-- whether each is confirmed, and the provider's node they match, in the spec's order.
select code, label, transform, norm_method, lower, lower_confirmed, upper, upper_confirmed,
       reference, reference_confirmed, provider_code
from input.composite_nodes
where composite = $composite and edition = $edition and is_indicator
order by position
