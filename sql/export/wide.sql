-- <series>_wide.csv: one row per economy of series $series from $table, one column per year
-- (in the braces below: by_year[2000] as "2000", ... for the series' years in series.sql),
-- written to $path. Each figure is formatted once, gathered into a map, and read per year
-- column. The texts are made safe as in long_rows (macros.sql), only the three printed here.
copy (
    with safe as (
        select safe_text(economy) as economy, safe_text(economy_name) as economy_name,
               safe_text(source) as source, "year", value
        from query_table($table)
        where series = $series
    ), g as (
        select economy, economy_name,
               map_from_entries(list(("year", number_text(value)))) as by_year,
               string_agg(distinct source, '; ' order by source) as sources
        from safe
        group by economy, economy_name
    )
    select economy, economy_name, {year_columns}, sources
    from g
    order by economy
) to $path (header, delimiter ',')
