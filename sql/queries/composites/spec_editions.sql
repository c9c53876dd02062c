-- The editions of composite $composite in the spec tables, oldest first.
select edition from input.composite_specs where composite = $composite order by edition
