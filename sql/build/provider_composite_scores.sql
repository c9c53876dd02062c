-- input.provider_composite_scores: ITU's published IDI scores as validate stored them
-- (provider_composite_scores.parquet in processed/tables/, from the itu_idi pull), empty until
-- they are pulled; provider_composite_scores_add.sql reads the file in when it exists.
create or replace table input.provider_composite_scores (
    edition integer,
    economy varchar,
    country_id integer,
    region_id integer,
    code_id integer,
    code varchar,
    score double,
    raw_sha256 varchar
)
