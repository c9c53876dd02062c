-- Every composite in the built database.
select distinct composite from composite_scores order by 1
