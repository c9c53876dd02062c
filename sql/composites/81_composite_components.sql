-- Mart: the drill-down of every composite, one row per composite, edition, screened-in country
-- and indicator (nominal run): the raw value and its year, whether and how it was imputed,
-- the transformed and normalised values, the indicator's score, weight and method.
create or replace table composite_components as
select n.composite, n.edition, n.economy, e.name as economy_name,
       n.code as indicator, nd.label as indicator_label, nd.parent,
       coalesce(nd.series, array_to_string(nd.numerator, ' x ')
                || coalesce(' / ' || nullif(array_to_string(nd.denominator, ' x '), ''), '')) as input,
       i.raw_value, i.value_year as input_year,
       n.value, n.imputed, i.imputation, i.imputation_detail,
       nd.transform, n.transformed, n.normalised, n.normalised * sp.scale as score,
       nd.weight, nd.direction, n.method as normalisation,
       n.reference_used as reference, n.lower_used as lower, n.upper_used as upper,
       coalesce(nd.reference_confirmed, true) and coalesce(nd.lower_confirmed, true)
           and coalesce(nd.upper_confirmed, true) as goalposts_confirmed,
       n.clipped, n.log_nonpositive,
       sp.note
from intermediate.composite_normalised n
join intermediate.composite_imputed i using (composite, edition, code, economy)
join input.composite_nodes nd using (composite, edition, code)
join input.composite_specs sp using (composite, edition)
left join economies e on e.iso3 = n.economy
where n.run = 0
order by n.composite, n.edition, n.economy, nd.position;

comment on table composite_components is 'Drill-down of every composite: per composite, edition, screened-in country and indicator, the raw value and input year, imputation, transformed and normalised (0-1) values, score on the spec''s scale, weight and normalisation method with the reference or goalposts used.';
comment on column composite_components.input is 'The series, or the formula over series (numerator / denominator).';
comment on column composite_components.raw_value is 'The input''s value under the data-year rule; NULL when missing.';
comment on column composite_components.input_year is 'The year of the value used (the carried year for a carried value).';
comment on column composite_components.value is 'The value used: raw_value, or the imputed value.';
comment on column composite_components.imputed is 'True when value is imputed (imputation, imputation_detail say how).';
comment on column composite_components.transformed is 'value after the transform (none or log10).';
comment on column composite_components.normalised is 'Normalised value, 0-1 (z-scores are not bounded).';
comment on column composite_components.score is 'normalised x the spec''s scale: the indicator''s score.';
comment on column composite_components.weight is 'The indicator''s weight within its parent.';
comment on column composite_components.direction is '1: higher is better; -1: lower is better (prices).';
comment on column composite_components.normalisation is 'reference, goalposts, minmax, zscore or percentile.';
comment on column composite_components.goalposts_confirmed is 'False when the reference or a goalpost used is not confirmed.';
comment on column composite_components.clipped is 'True when the normalised value was outside [0, 1] and was clipped (capped at the reference).';
comment on column composite_components.note is '"unconfirmed goalposts: not ITU''s figures" when the edition''s goalposts are not confirmed.';
comment on column composite_components.composite is 'Composite name (indicators/composites/<name>.yml).';
comment on column composite_components.edition is 'Edition of the composite.';
comment on column composite_components.economy is 'ISO 3166-1 alpha-3 code.';
comment on column composite_components.economy_name is 'Economy name.';
comment on column composite_components.indicator is 'Indicator code in the composite.';
comment on column composite_components.indicator_label is 'Indicator label.';
comment on column composite_components.parent is 'The node the indicator belongs to.';
comment on column composite_components.imputation is 'How the value was imputed (carry, group_median, group_mean); NULL if not.';
comment on column composite_components.imputation_detail is 'The imputation in words (carried from 2019; median of 12 in income_group HIC).';
comment on column composite_components.transform is 'none or log10.';
comment on column composite_components.reference is 'The reference value used (method reference), in transformed units.';
comment on column composite_components.lower is 'The lower goalpost used (method goalposts), in transformed units.';
comment on column composite_components.upper is 'The upper goalpost used (method goalposts), in transformed units.';
comment on column composite_components.log_nonpositive is 'True when log10 met a value <= 0 (scored as the lowest).';
