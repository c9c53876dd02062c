-- <series>.csv: one row per economy and year of series $series from $table, written to $path.
-- The licences and attribution of the file's sources are in datapackage.json and sources.csv.
copy (
    select * replace (number_text(value) as value)
    from long_rows($table, $series)
) to $path (header, delimiter ',')
