-- series_status.parquet: per catalog series and source, its freshness and row accounting
-- (`status_df`, made by pipeline/validate.py from the pulls and report/accounting.sql).
-- Every column is cast to its type: a column the frame holds only None in (last_error when no
-- download failed, vintage for a source that sends none) would otherwise be written with the
-- type NULL, so the file's schema, and the database's `series` mart, would change with the data.
select
    cast(source as varchar) as source,
    cast(series as varchar) as series,
    cast(source_code as varchar) as source_code,
    cast(status as varchar) as status,
    cast(last_attempt as varchar) as last_attempt,
    cast(last_error as varchar) as last_error,
    cast(pull_id as varchar) as pull_id,
    cast(retrieved as varchar) as retrieved,
    cast(vintage as varchar) as vintage,
    cast(synthetic as boolean) as synthetic,
    cast(rows_in as bigint) as rows_in,
    cast(no_value as bigint) as no_value,
    cast(stored as bigint) as stored,
    cast(quarantined as bigint) as quarantined
from status_df
order by source, series
