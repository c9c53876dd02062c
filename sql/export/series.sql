-- One row per exported series ($table: indicator_values, or indicator_values_redistributable),
-- with every source (and licence) its rows come from, in the order of precedence.
select s.series, any_value(s.name) as name, any_value(s.unit) as unit,
       any_value(s.definition) as definition, bool_or(s.synthetic) as synthetic,
       list({'source': s.source, 'source_code': s.source_code,
             'licence': s.licence, 'licence_url': s.licence_url,
             'licence_title': src.licence_title, 'attribution': s.attribution,
             'homepage': src.homepage, 'vintage': cast(s.vintage as varchar)}
            order by s.precedence, s.source) as sources
from series s
join input.catalog_sources src using (source)
where exists (select 1 from query_table($table) v where v.series = s.series and v.source = s.source)
group by s.series
order by s.series
