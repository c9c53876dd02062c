-- The note of composite $composite's edition $edition ("unconfirmed goalposts..." or NULL).
select any_value(note) as note
from composite_scores
where composite = $composite and edition = $edition
