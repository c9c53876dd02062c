-- One row per composite to export: its label, its editions and whether any edition's
-- goalposts are unconfirmed.
select composite, any_value(label) as label, list(distinct edition order by edition) as editions,
       bool_or(not goalposts_confirmed) as unconfirmed
from input.composite_specs
group by composite
order by composite
