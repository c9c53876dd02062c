-- composite_<name>_components.csv: composite $composite's drill-down, one row per edition,
-- country and indicator, written to $path. The fields are columns.yml's
-- exports.composite_components.
copy (
    select composite, edition, economy, economy_name, indicator, input, raw_value, input_year,
           value, imputed, imputation_detail, transformed, normalised, score, weight,
           normalisation, reference, lower, upper, clipped, note
    from composite_components
    where composite = $composite
    order by edition, economy, indicator
) to $path (header, delimiter ',')
