-- The corrections register (indicators/corrections.yml), with how many validated rows each
-- entry matches: the report's list, stored as corrections.parquet for the `corrections` mart.
select c.series, c.economy, c.year_from, c.year_to, c.source, c.action, c.value,
       c.reason, c.reported_upstream, count(v.rid) as rows_matched
from input.catalog_corrections c
left join valid_rows v on v.series = c.series and v.economy = c.economy
    and v."year" between c.year_from and c.year_to
    and (c.source is null or v.source = c.source)
group by all order by all
