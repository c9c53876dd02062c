-- Mart: ours against ITU's published scores, per composite with provider codes, edition,
-- economy and node (where the spec names the provider's node), with the difference;
-- qa.composite_vs_provider lists the rows beyond half a point.
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
