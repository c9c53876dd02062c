-- `ictp composite show NAME --economy X`: economy $economy's inputs of $composite's edition
-- $edition, from the raw value to the score.
select indicator, input, raw_value, input_year, imputation_detail as imputed,
       round(normalised, 4) as normalised, round(score, 2) as score, weight, normalisation,
       reference, lower, upper, clipped
from composite_components
where composite = $composite and edition = $edition and economy = $economy
