-- The economies without an index score in $composite's edition $edition, and how many of them
-- were screened out.
select count(*) as unscored, count(*) filter (where status like 'screened out%') as screened_out
from composite_scores
where composite = $composite and edition = $edition and level = 0 and score is null
