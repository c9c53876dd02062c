-- What analysts and exports read: one value per country, series and year, from the source
-- the catalog's precedence prefers (observations keeps every source). A view over the one
-- table of country values (int_country_values) with names, units and licences joined.
create or replace view indicator_values as
select * exclude (choice, open_choice)
from intermediate.int_country_values_named
where choice = 1;

comment on view indicator_values is 'Validated values for countries (never aggregates): one row per economy, series and year, from the first source in the catalog''s precedence that has a value (sources.yml precedence; ITU before the World Bank by default). observations keeps every source''s value; qa.sources_disagree lists where they differ.';
comment on column indicator_values.economy is 'ISO 3166-1 alpha-3 code (XKX Kosovo and CHI Channel Islands as the World Bank codes them).';
comment on column indicator_values.economy_name is 'Economy name (the World Bank''s, else ITU''s, else ISO''s).';
comment on column indicator_values.region is 'World Bank region.';
comment on column indicator_values.income_group is 'World Bank income group.';
comment on column indicator_values.itu_region is 'ITU region.';
comment on column indicator_values.series is 'ictp series id (indicators/series.yml).';
comment on column indicator_values."year" is 'Reference year.';
comment on column indicator_values.value is 'The figure, in unit.';
comment on column indicator_values.unit is 'Unit of value.';
comment on column indicator_values.source is 'The source the figure comes from (worldbank, itu, file:<name>).';
comment on column indicator_values.source_code is 'The source''s own code for the series.';
comment on column indicator_values.obs_status is 'The source''s flag for the figure (E = estimate); NULL if none.';
comment on column indicator_values.correction is 'NULL, or the correction applied from indicators/corrections.yml.';
comment on column indicator_values.note is 'The source''s footnote for the figure; NULL if none.';
comment on column indicator_values.source_note is 'Who produced the figure, as the source says; NULL if none.';
comment on column indicator_values.vintage is 'When the source last updated the series.';
comment on column indicator_values.licence is 'Licence of the figure (its source''s; SPDX-style id).';
comment on column indicator_values.attribution is 'Credit line to carry with the figure.';
