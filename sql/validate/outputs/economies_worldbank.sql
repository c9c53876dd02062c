-- economies_worldbank.parquet: the World Bank's country list as staged, its own table.
select * from stg_worldbank__economies order by code
