-- One row per exported series ($table: indicator_values, or indicator_values_redistributable),
-- with every source (and licence) its rows come from, in the order of precedence, and, from
-- one pass over the table, the years it has figures for (the columns of its wide file), its
-- rows and economies (its description in datapackage.json) and the sources present (only those
-- are listed).
with shapes as (
    select series, list(distinct "year" order by "year") as years,
           count(*) as "rows", count(distinct economy) as economies,
           list(distinct source) as present
    from query_table($table)
    group by series
)
select s.series, any_value(s.name) as name, any_value(s.unit) as unit,
       any_value(s.definition) as definition, bool_or(s.synthetic) as synthetic,
       list({'source': s.source, 'source_code': s.source_code,
             'licence': s.licence, 'licence_url': s.licence_url,
             'licence_title': src.licence_title, 'attribution': s.attribution,
             'homepage': src.homepage, 'vintage': cast(s.vintage as varchar)}
            order by s.precedence, s.source) as sources,
       any_value(h.years) as years, any_value(h."rows") as "rows",
       any_value(h.economies) as economies
from series s
join input.catalog_sources src using (source)
join shapes h using (series)
where list_contains(h.present, s.source)
group by s.series
order by s.series
