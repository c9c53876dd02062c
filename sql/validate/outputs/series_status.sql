-- series_status.parquet: per catalog series and source, its freshness and row accounting
-- (`status_df`, made by pipeline/validate.py from the pulls and report/accounting.sql).
-- Each column is cast to its type (text, but for synthetic and the counts): a column the frame
-- holds only None in (last_error when no download failed, vintage for a source that sends
-- none) would otherwise be written with the type NULL, so the file's schema, and the database's
-- `series` mart, would change with the data.
select columns(* exclude (synthetic, rows_in, no_value, stored, quarantined))::varchar,
       synthetic::boolean as synthetic,
       columns(['rows_in', 'no_value', 'stored', 'quarantined'])::bigint
from status_df
order by source, series
