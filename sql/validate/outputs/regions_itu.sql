-- regions_itu.parquet: ITU's region list as staged, its own table.
select * from stg_itu__regions order by region_id, code
