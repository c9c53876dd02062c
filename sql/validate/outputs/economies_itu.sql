-- economies_itu.parquet: ITU's country list as staged, its own table.
select * from stg_itu__economies order by code, country_id
