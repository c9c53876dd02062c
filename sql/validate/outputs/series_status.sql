-- series_status.parquet: per catalog series and source, its freshness and row accounting
-- (`status_df`, made by pipeline/validate.py from the pulls and report/accounting.sql).
select * from status_df order by source, series
