-- sources.csv: one row per source with figures in $table (the exported rows), with its licence,
-- licence URL, attribution and commercial use (macro source_terms), written to $path.
copy (
    select * from source_terms($table, $synthetic_licence, $synthetic_licence_url,
                               $synthetic_source)
) to $path (header, delimiter ',')
