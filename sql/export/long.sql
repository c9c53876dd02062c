-- <series>.csv: one row per economy and year of series $series from $table, written to $path.
copy (
    select
        v.economy, v.economy_name, v.region, v.income_group, v.itu_region, v."year",
        number_text(v.value) as value,
        v.unit, v.source, v.source_code, v.obs_status, v.note, v.source_note, v.vintage,
        case when s.synthetic then $synthetic_licence else v.licence end as licence,
        case when s.synthetic then $synthetic_source else v.attribution end
            as attribution
    from query_table($table) v
    join series s on s.series = v.series and s.source = v.source
    where v.series = $series
    order by v.economy, v."year", v.source
) to $path (header, delimiter ',')
