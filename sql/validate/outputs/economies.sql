-- economies.parquet: the merged economy table (int_economies), which the build publishes.
select * from int_economies order by iso3
