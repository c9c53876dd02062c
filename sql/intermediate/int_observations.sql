-- Every source's observations in one table (the World Bank is the only source so far).
create or replace table intermediate.int_observations as
select * from staging.stg_worldbank__observations;
