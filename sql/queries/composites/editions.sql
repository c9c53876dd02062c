-- The editions of composite $composite in the built database, oldest first.
select distinct edition from composite_scores where composite = $composite order by 1
