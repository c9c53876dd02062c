-- `ictp composite show NAME --economy X`: economy $economy's missing inputs of $composite's
-- edition $edition, and why.
select indicator, reason
from composite_missing
where composite = $composite and edition = $edition and economy = $economy
