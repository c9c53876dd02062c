-- The first quarantined rows of every source and series, in one pass.
select source, series, economy, "year", coalesce(cast(value as varchar), value_text) as value,
       reason
from row_outcomes join quarantined using (rid)
qualify row_number() over (partition by source, series order by economy, "year") <= 5
order by source, series, economy, "year"
