-- Stage 2, screened: an economy stays in a composite's edition when it has at least the spec's
-- screen.min_share of the indicators (before imputation), and at least one. Indicators no
-- source of ours serves (unavailable) count for no economy, so they are left out of the share.
-- The cells are the inputs' with the economy's counts and the flag.
create or replace table intermediate.composite_screened as
with counts as (
    select composite, edition, economy,
           count(*) filter (where status = 'ok') as indicators_with_data,
           count(*) filter (where status <> 'unavailable') as indicators
    from intermediate.composite_inputs
    group by all
)
select i.*, c.indicators_with_data, c.indicators,
       c.indicators_with_data > 0
           and c.indicators_with_data >= coalesce(s.screen_min_share, 0) * c.indicators
           as screened_in
from intermediate.composite_inputs i
join counts c using (composite, edition, economy)
join input.composite_specs s using (composite, edition);
