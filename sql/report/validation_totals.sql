-- The row accounting of the stored batch: rows in = stored + quarantined + without a value.
select coalesce(sum(rows_in), 0) as rows_in,
       coalesce(sum(rows_stored), 0) as rows_stored,
       coalesce(sum(rows_quarantined), 0) as rows_quarantined,
       coalesce(sum(rows_no_value), 0) as rows_no_value,
       (select count(*) from validation_warnings) as warnings
from series
