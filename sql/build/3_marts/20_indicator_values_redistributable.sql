-- As indicator_values, choosing only among sources whose licence allows commercial use:
-- what `ictp export --redistributable` writes. A view, as indicator_values: no 20M-row copy.
create or replace view indicator_values_redistributable as
select * exclude (choice, open_choice)
from intermediate.int_country_values_named
where open_choice = 1;

comment on view indicator_values_redistributable is 'As indicator_values, but choosing only among sources whose licence allows commercial use (series.commercial_use): where the preferred source is non-commercial (ITU), another source''s figure is used if there is one. What `ictp export --redistributable` writes.';
comment on column indicator_values_redistributable.economy is 'ISO 3166-1 alpha-3 code (XKX Kosovo and CHI Channel Islands as the World Bank codes them).';
comment on column indicator_values_redistributable.economy_name is 'Economy name (the World Bank''s, else ITU''s, else ISO''s).';
comment on column indicator_values_redistributable.region is 'World Bank region.';
comment on column indicator_values_redistributable.income_group is 'World Bank income group.';
comment on column indicator_values_redistributable.itu_region is 'ITU region.';
comment on column indicator_values_redistributable.series is 'ictp series id (indicators/series.yml).';
comment on column indicator_values_redistributable."year" is 'Reference year.';
comment on column indicator_values_redistributable.value is 'The figure, in unit.';
comment on column indicator_values_redistributable.unit is 'Unit of value.';
comment on column indicator_values_redistributable.source is 'The source the figure comes from (worldbank, itu, file:<name>).';
comment on column indicator_values_redistributable.source_code is 'The source''s own code for the series.';
comment on column indicator_values_redistributable.obs_status is 'The source''s flag for the figure (E = estimate); NULL if none.';
comment on column indicator_values_redistributable.correction is 'NULL, or the correction applied from indicators/corrections.yml.';
comment on column indicator_values_redistributable.note is 'The source''s footnote for the figure; NULL if none.';
comment on column indicator_values_redistributable.source_note is 'Who produced the figure, as the source says; NULL if none.';
comment on column indicator_values_redistributable.vintage is 'When the source last updated the series.';
comment on column indicator_values_redistributable.licence is 'Licence of the figure (its source''s; SPDX-style id).';
comment on column indicator_values_redistributable.attribution is 'Credit line to carry with the figure.';
