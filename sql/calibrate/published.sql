-- How many published scores of edition $edition the database holds (ITU's IDI scores, pulled
-- by `ictp ingest` as source itu_idi, stored by validate and loaded by the build).
select count(*) as published from provider_composite_scores where edition = $edition
