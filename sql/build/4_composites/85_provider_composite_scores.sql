-- Mart: ITU's published composite scores (the DataHub IDI API, pipeline/sources/itu_idi.py),
-- one row per edition, economy and node of ITU's tree: every country ITU scores, and every
-- region of the classes whose aggregates ictp pulls (ITU.ARB, ITU.WORLD...), on our economy
-- codes. Empty until the IDI scores are pulled.
create or replace table provider_composite_scores as
select 'itu' as provider, p.edition, p.economy, e.name as economy_name,
       p.country_id as provider_country_id, p.region_id as provider_region_id,
       p.code_id, p.code, p.score, p.raw_sha256
from input.provider_composite_scores p
left join economies e on e.iso3 = p.economy
order by p.edition, p.economy, p.country_id, p.region_id, p.code_id;
