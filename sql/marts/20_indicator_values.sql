-- What analysts and exports read: country values with names, region, income group and unit.
create or replace table indicator_values as
select
    o.economy,
    e.name as economy_name,
    e.region,
    e.income_group,
    o.series,
    o."year",
    o.value,
    s.unit,
    o.source,
    o.source_code,
    o.obs_status,
    o.correction,
    o.vintage
from observations o
join economies e on e.iso3 = o.economy and not e.is_aggregate
join series s on s.series = o.series and s.source = o.source
order by o.series, o.economy, o."year", o.source;

comment on table indicator_values is 'Validated values for countries (never aggregates), with economy names, World Bank region and income group, and the series unit.';
comment on column indicator_values.economy is 'ISO 3166-1 alpha-3 code (XKX Kosovo and CHI Channel Islands as the World Bank codes them).';
comment on column indicator_values.economy_name is 'Economy name (World Bank).';
comment on column indicator_values.region is 'World Bank region.';
comment on column indicator_values.income_group is 'World Bank income group.';
comment on column indicator_values.series is 'ictp series id (indicators/series.yml).';
comment on column indicator_values."year" is 'Reference year.';
comment on column indicator_values.value is 'The figure, in unit.';
comment on column indicator_values.unit is 'Unit of value.';
comment on column indicator_values.source is 'Source id.';
comment on column indicator_values.source_code is 'The source''s own code for the series.';
comment on column indicator_values.obs_status is 'The source''s flag for the figure; NULL if none.';
comment on column indicator_values.correction is 'NULL, or the correction applied from indicators/corrections.yml.';
comment on column indicator_values.vintage is 'When the source last updated the series.';
