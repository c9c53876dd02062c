-- Country observations (never aggregates) with every source's rank for its economy-series-year:
-- `choice` = 1 is the row marts use (the catalog's precedence: sources.yml, or the series'
-- own); `open_choice` = 1 is the row among sources whose licence allows commercial use.
-- Only a series the catalog maps to more than one source can have rival rows: those are
-- ranked (a window over their rows); every other row is its economy-year's only one and is
-- not reordered: it stays roughly in the stored order (series, economy, year; the parallel scan
-- moves whole blocks), so filters on series and economy skip most blocks.
-- Lean on purpose (codes and numbers): indicator_values joins names, units and licences.
create or replace table intermediate.int_country_values as
with rows as not materialized (  -- read twice: joined again rather than held whole
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
        s.precedence
    from intermediate.int_observations o
    join staging.stg_ictp__economies e on e.iso3 = o.economy and not e.is_aggregate
    join input.catalog_series s on s.series = o.series and s.source = o.source
), rival as (
    select series from input.catalog_series group by series having count(*) > 1
)
select * exclude (precedence),
       1 as choice,
       case when commercial_use then 1 end as open_choice
from rows
where series not in (select series from rival)
union all
select * exclude (precedence),
       row_number() over (
           partition by economy, series, "year" order by precedence, source
       ) as choice,
       case when commercial_use then row_number() over (
           partition by economy, series, "year", commercial_use order by precedence, source
       ) end as open_choice
from rows
where series in (select series from rival);
