-- Per catalog series that was downloaded or stored before: what the table-level rules read
-- (pipeline/expectations.py, suite `series`). Coverage counts countries only: a provider
-- publishes its aggregates for other years (ITU's World and regions a year ahead of most
-- countries' figures) and in other numbers.
with pulled as (
    select distinct source, series from pages
), aggregates as (
    select iso3 from int_economies where code_kind in ('aggregate', 'itu_aggregate')
), now as (
    select source, series,
           count(*) as rows_in,
           count(*) filter (where has_value) as rows_with_value,
           coalesce(count(*) filter (where has_value and "year" is not null)
                    / nullif(count(*) filter (where has_value), 0), 1.0) as dated_share
    from int_checked group by all
), prev as (
    select source, series, count(*) as prev_rows,
           max("year") filter (where economy not in (select iso3 from aggregates)) as prev_year
    from previous group by all
), prev_cov as (
    select p.source, p.series, count(distinct o.economy) as prev_economies
    from prev p join previous o using (source, series)
    where o."year" = p.prev_year and o.economy not in (select iso3 from aggregates)
    group by all
), now_cov as (
    select c.source, c.series, count(distinct c.economy) as now_economies
    from int_checked c join prev p using (source, series)
    where c."year" = p.prev_year and c.has_value
      and c.economy not in (select iso3 from aggregates)
    group by all
), wanted as (
    select source, series from pulled union select source, series from prev
), checks as (
    select w.source, w.series,
           coalesce(n.rows_in, 0) as rows_in,
           coalesce(n.rows_with_value, 0) as rows_with_value,
           case when p.prev_rows > 0 then 1 else 0 end as min_rows_with_value,
           coalesce(p.prev_rows, 0) as prev_rows,
           p.prev_year,
           pc.prev_economies,
           coalesce(nc.now_economies, 0) as now_economies,
           ceil(pc.prev_economies * (1 - s.max_coverage_drop)) as min_economies,
           coalesce(n.dated_share, 1.0) as dated_share
    from wanted w
    join input.catalog_series s using (source, series)
    left join now n using (source, series)
    left join prev p using (source, series)
    left join prev_cov pc using (source, series)
    left join now_cov nc using (source, series)
)
select row_number() over (order by source, series) - 1 as rid, * from checks
