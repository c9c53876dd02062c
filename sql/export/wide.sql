-- <series>_wide.csv: one row per economy of series $series from $table, one column per year
-- (in the braces below: by_year[2000] as "2000", ... for the years years.sql lists), written to
-- $path. Each figure is formatted once, gathered into a map, and read per year column.
copy (
    with g as (
        select economy, economy_name,
               map_from_entries(list(("year", number_text(value)))) as by_year,
               string_agg(distinct source, '; ' order by source) as sources
        from long_rows($table, $series)
        group by economy, economy_name
    )
    select economy, economy_name, {year_columns}, sources
    from g
    order by economy
) to $path (header, delimiter ',')
