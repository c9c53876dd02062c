-- corrections.parquet: the corrections register with the rows each entry matched.
select * from corrections_matched order by all
