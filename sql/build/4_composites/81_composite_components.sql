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
