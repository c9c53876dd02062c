-- <series>_wide.csv: one row per economy of series $series from $table, one column per year
-- (in the braces below: by_year[2000] as "2000", ... for the years years.sql lists), written to
-- $path. Each figure is formatted once, gathered into a map, and read per year column.
copy (
    with r as (
        select v.economy, v.economy_name, v."year", v.source,
               case when s.synthetic then $synthetic_licence else v.licence end as licence,
               case when s.synthetic then $synthetic_source else v.attribution end
            as attribution,
               number_text(v.value) as value_text
        from query_table($table) v
        join series s on s.series = v.series and s.source = v.source
        where v.series = $series
    ), g as (
        select economy, economy_name,
               map_from_entries(list(("year", value_text))) as by_year,
               string_agg(distinct source, '; ' order by source) as sources,
               string_agg(distinct licence, '; ' order by licence) as licence,
               string_agg(distinct attribution, '; ' order by attribution) as attribution
        from r
        group by economy, economy_name
    )
    select economy, economy_name, {year_columns}, sources, licence, attribution
    from g
    order by economy
) to $path (header, delimiter ',')
