-- The label of composite $composite.
select any_value(label) as label from input.composite_specs where composite = $composite
