-- input.provider_composite_scores: ITU's published IDI scores as pipeline/sources/itu_idi.py
-- stored them (data/processed/provider_composite_scores.parquet), empty until they are pulled;
-- provider_composite_scores_add.sql reads the file in when it exists.
create or replace table input.provider_composite_scores (
    edition integer,
    country_id integer,
    code_id integer,
    code varchar,
    score double,
    raw_sha256 varchar
)
