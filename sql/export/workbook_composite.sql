-- A composite's sheet of the workbook: its rows of composite_scores (every edition, economy and
-- node), in a stable order.
select * from composite_scores where composite = $composite order by all
