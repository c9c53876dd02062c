-- vintages.parquet: every vintage kept in processed/vintages/ (vintages_kept, read back from
-- the files after this run's new ones were written), in order per source and series.
select source, series, vintage_id, number, previous_id, retrieved, source_updated, pages,
       "rows", path
from vintages_kept
order by source, series, number
