-- composite_<name>_scores.csv: composite $composite's scores, one row per edition, country
-- and node, written to $path. The fields are columns.yml's exports.composite_scores.
copy (
    select composite, edition, data_year, economy, economy_name, node, node_label, level,
           score, rank, status, indicators_used, indicators_imputed, note
    from composite_scores
    where composite = $composite
    order by edition, level, node, rank nulls last, economy
) to $path (header, delimiter ',')
