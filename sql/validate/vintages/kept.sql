-- The vintages kept so far: each file of processed/vintages/ ($files) described by its
-- key-value metadata, as pipeline/vintages.py wrote it. The files are the record; this table
-- (and vintages.parquet, written from it) is read from them every time. An empty value is
-- none (key-value metadata has no NULL).
create or replace table vintages_kept as
with kv as (
    select file_name, decode(key) as key, decode(value) as value
    from parquet_kv_metadata($files)
)
select
    max(value) filter (where key = 'source') as source,
    max(value) filter (where key = 'series') as series,
    max(value) filter (where key = 'vintage_id') as vintage_id,
    cast(max(value) filter (where key = 'number') as integer) as number,
    nullif(max(value) filter (where key = 'previous_id'), '') as previous_id,
    cast(max(value) filter (where key = 'retrieved') as timestamptz) as retrieved,
    cast(nullif(max(value) filter (where key = 'source_updated'), '') as date) as source_updated,
    string_split(max(value) filter (where key = 'pages'), ',') as pages,
    cast(max(value) filter (where key = 'rows') as bigint) as "rows",
    -- where it lies under processed/ (the same in every copy of the data directory)
    'vintages/' || source || '/' || series || '/' || vintage_id || '.parquet' as path
from kv
group by file_name
