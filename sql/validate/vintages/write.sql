-- One vintage's file: the rows validate passed for the series from this source (the columns of
-- observations.parquet, and the vintage's id), sorted; the vintage's description goes into the
-- file's key-value metadata, which kept.sql reads back.
copy (
    select $vintage_id as vintage_id, economy, series, "year", value, source, source_code,
           obs_status, vintage, raw_sha256, note, source_note
    from valid_rows
    where source = $source and series = $series
    order by economy_no, "year"  -- by economy (its number: the same order, int_checked)
) to $path (
    format parquet,
    compression zstd,
    kv_metadata {
        source: $source,
        series: $series,
        vintage_id: $vintage_id,
        number: $number,
        previous_id: $previous_id,
        retrieved: $retrieved,
        source_updated: $source_updated,
        pages: $pages,
        rows: $rows
    }
)
