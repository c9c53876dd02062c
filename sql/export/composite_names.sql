-- The composites of composite_scores, one workbook sheet each.
select distinct composite from composite_scores order by 1
