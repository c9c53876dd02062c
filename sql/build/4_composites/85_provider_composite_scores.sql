-- Mart: ITU's published composite scores (the DataHub IDI API, pipeline/sources/itu_idi.py),
-- one row per edition, country and node of ITU's tree, on our economy codes. Empty until the
-- IDI scores are pulled.
create or replace table provider_composite_scores as
select 'itu' as provider, p.edition, e.iso3 as economy, e.name as economy_name,
       p.country_id as provider_country_id, p.code_id, p.code, p.score, p.raw_sha256
from input.provider_composite_scores p
left join economies e on e.itu_country_id = p.country_id and not e.is_aggregate
order by p.edition, economy, p.code_id;

comment on table provider_composite_scores is 'ITU''s published IDI scores (DataHub /idi/data/bycountryid), per edition, country and node of ITU''s tree (code, code_id as /idi/dashboard/all gives them). economy is NULL where ITU''s CountryID matches no economy of ours.';
comment on column provider_composite_scores.code_id is 'The node''s codeID in ITU''s tree (composite specs name it in provider.code_id).';
comment on column provider_composite_scores.score is 'ITU''s published score, 0-100.';

-- Ours against ITU's, per composite with provider codes, edition, economy and node.
create or replace table composite_vs_provider as
select s.composite, s.edition, s.economy, s.economy_name, s.node, n.provider_code,
       s.score as ours, p.score as provider, s.score - p.score as difference,
       abs(s.score - p.score) <= 0.5 as within_half_point, s.note
from composite_scores s
join input.composite_nodes n
  on n.composite = s.composite and n.edition = s.edition and n.code = s.node
join provider_composite_scores p
  on p.edition = s.edition and p.code_id = n.provider_code_id and p.economy = s.economy
order by s.composite, s.edition, n.position, s.economy;

comment on table composite_vs_provider is 'Our composite scores against ITU''s published ones, per composite, edition, economy and node (where the spec names the provider''s node), with the difference; within_half_point says whether we reproduce ITU within 0.5 points. qa.composite_vs_provider lists the rows beyond it.';
