-- economy_codes.parquet: every code a source's country list uses and the economy it maps to.
select * from int_economy_codes order by source, code
