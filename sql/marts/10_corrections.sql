-- The corrections register, with the number of rows each entry changed in this build.
create or replace table corrections as
with applied as (
    select c.series, c.economy, c.year_from, c.year_to, c.source, c.action, c.value,
           c.reason, c.reported_upstream, count(o.series) as rows_matched
    from staging.stg_ictp__corrections c
    left join staging.stg_ictp__observations o
        on o.series = c.series and o.economy = c.economy
        and o."year" between c.year_from and c.year_to
        and (c.source is null or c.source = o.source)
    group by all
)
select * from applied order by series, economy, year_from;
