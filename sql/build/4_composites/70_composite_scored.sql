-- Stage 6, scored (per run): every node's value on the spec's scale (x 10 or x 100) and its
-- rank among the economies with a score, descending, on the unrounded score. ITU's tables give
-- tied two-decimal scores distinct ranks (IDI 2017: Norway and Luxembourg both 8.47, ranks 8
-- and 9), so ranks come from unrounded scores; an exact tie of unrounded scores, for which ITU
-- states no rule, is broken by economy code (our documented choice), so every economy has its
-- own rank. "Unrounded" is to 9 decimals on the scale: below that, scores differ only by the
-- order a parallel sum added its terms in, and ranks must not depend on that.
create or replace table intermediate.composite_scored as
select a.composite, a.edition, a.run, a.economy, a.code,
       a.value * s.scale as score,
       case when a.value is not null then row_number() over (
           partition by a.composite, a.edition, a.run, a.code, a.value is null
           order by round(a.value * s.scale, 9) desc, a.economy) end as rank,
       a.children_with_value, a.indicators_used, a.indicators_imputed, a.method
from intermediate.composite_aggregated a
join input.composite_specs s using (composite, edition);
