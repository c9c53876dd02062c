-- Mart: ITU's published composite scores (the DataHub IDI API, pipeline/sources/itu_idi.py),
-- one row per edition, country and node of ITU's tree, on our economy codes. Empty until the
-- IDI scores are pulled.
create or replace table provider_composite_scores as
select 'itu' as provider, p.edition, e.iso3 as economy, e.name as economy_name,
       p.country_id as provider_country_id, p.code_id, p.code, p.score, p.raw_sha256
from input.provider_composite_scores p
left join economies e on e.itu_country_id = p.country_id and not e.is_aggregate
order by p.edition, economy, p.code_id;
