-- The corrections register (indicators/corrections.yml), as loaded from the catalog.
create or replace table staging.stg_ictp__corrections as
select series, economy, year_from, year_to, source, action, value, reason, reported_upstream
from input.catalog_corrections;
