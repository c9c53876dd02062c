-- One row per run manifest (processed/runs/*.json).
create or replace table staging.stg_ictp__runs as
with manifests as (
    select json
    from read_json_objects(getvariable('processed_dir') || '/runs/*.json', format = 'unstructured')
)
select
    json ->> 'run_id' as run_id,
    json ->> 'command' as command,
    cast(json ->> 'started' as timestamptz) as started,
    cast(json ->> 'ended' as timestamptz) as ended,
    json ->> 'status' as status,
    cast(json ->> 'exit_code' as integer) as exit_code,
    cast(json ->> 'synthetic' as boolean) as synthetic,
    cast(json -> 'steps' -> 'validate' ->> 'rows_in' as bigint) as rows_in,
    cast(json -> 'steps' -> 'validate' ->> 'stored' as bigint) as rows_stored,
    cast(json -> 'steps' -> 'validate' ->> 'quarantined' as bigint) as rows_quarantined,
    cast(json -> 'steps' -> 'validate' ->> 'no_value' as bigint) as rows_no_value,
    json -> 'versions' as versions
from manifests;
