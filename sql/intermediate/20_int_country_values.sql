-- Country observations (never aggregates) with every source's rank for its economy-series-year:
-- `choice` = 1 is the row marts use (the catalog's precedence: sources.yml, or the series'
-- own); `open_choice` = 1 is the row among sources whose licence allows commercial use.
-- Lean on purpose (codes and numbers): the marts join names, units and licences.
create or replace table intermediate.int_country_values as
select
    o.economy,
    o.series,
    o."year",
    o.value,
    o.source,
    o.source_code,
    o.obs_status,
    o.correction,
    o.note,
    o.source_note,
    o.vintage,
    s.commercial_use,
    row_number() over (
        partition by o.economy, o.series, o."year" order by s.precedence, o.source
    ) as choice,
    case when s.commercial_use then row_number() over (
        partition by o.economy, o.series, o."year", s.commercial_use order by s.precedence, o.source
    ) end as open_choice
from intermediate.int_observations o
join intermediate.int_economies e on e.iso3 = o.economy and not e.is_aggregate
join input.catalog_series s on s.series = o.series and s.source = o.source;
