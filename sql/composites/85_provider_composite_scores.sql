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

comment on column provider_composite_scores.provider is 'Who published the scores (itu).';
comment on column provider_composite_scores.edition is 'The edition (ITU''s dataYear).';
comment on column provider_composite_scores.economy is 'ISO 3166-1 alpha-3 code; NULL when ITU''s CountryID matches no economy of ours.';
comment on column provider_composite_scores.economy_name is 'Economy name.';
comment on column provider_composite_scores.provider_country_id is 'ITU''s CountryID.';
comment on column provider_composite_scores.code is 'The node''s code in ITU''s tree (IDI, U, M, i99H...).';
comment on column provider_composite_scores.raw_sha256 is 'The raw file the score came from (lineage).';

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

comment on column composite_vs_provider.composite is 'Composite name (indicators/composites/<name>.yml).';
comment on column composite_vs_provider.edition is 'Edition of the composite.';
comment on column composite_vs_provider.economy is 'ISO 3166-1 alpha-3 code.';
comment on column composite_vs_provider.economy_name is 'Economy name.';
comment on column composite_vs_provider.node is 'Node code in our composite.';
comment on column composite_vs_provider.provider_code is 'The node''s code in ITU''s tree.';
comment on column composite_vs_provider.ours is 'Our score (0-100); NULL when we have none.';
comment on column composite_vs_provider.provider is 'ITU''s published score.';
comment on column composite_vs_provider.difference is 'ours - provider.';
comment on column composite_vs_provider.within_half_point is '|ours - provider| <= 0.5.';
comment on column composite_vs_provider.note is '"unconfirmed goalposts: not ITU''s figures" where that applies.';

-- For how many economies we reproduce ITU within 0.5 points, per composite, edition and node.
create or replace table composite_vs_provider_summary as
select composite, edition, node, any_value(provider_code) as provider_code,
       count(*) as published,
       count(ours) as compared,
       count(*) filter (where within_half_point) as within_half_point,
       round(100.0 * count(*) filter (where within_half_point) / nullif(count(ours), 0), 1)
           as within_half_point_pct,
       max(abs(difference)) as max_abs_difference,
       any_value(note) as note
from composite_vs_provider
group by all
order by composite, edition, node;

comment on table composite_vs_provider_summary is 'Per composite, edition and node: how many economies ITU publishes a score for, how many we compute, and for how many we reproduce ITU''s score within 0.5 points.';
comment on column composite_vs_provider_summary.composite is 'Composite name (indicators/composites/<name>.yml).';
comment on column composite_vs_provider_summary.edition is 'Edition of the composite.';
comment on column composite_vs_provider_summary.node is 'Node code in our composite.';
comment on column composite_vs_provider_summary.provider_code is 'The node''s code in ITU''s tree.';
comment on column composite_vs_provider_summary.published is 'Economies ITU publishes a score for.';
comment on column composite_vs_provider_summary.compared is 'Of those, economies we compute a score for.';
comment on column composite_vs_provider_summary.within_half_point is 'Economies where we reproduce ITU within 0.5 points.';
comment on column composite_vs_provider_summary.within_half_point_pct is 'within_half_point as a share of compared, %.';
comment on column composite_vs_provider_summary.max_abs_difference is 'The largest |ours - provider|.';
comment on column composite_vs_provider_summary.note is '"unconfirmed goalposts: not ITU''s figures" where that applies.';
