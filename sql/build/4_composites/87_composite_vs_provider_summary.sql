-- Mart: for how many economies we reproduce ITU within 0.5 points, per composite, edition and
-- node (`ictp composite show` prints it).
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
order by composite, edition, node
