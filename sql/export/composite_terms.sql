-- The licence terms of every source with data of every series composite $composite reads.
with used as (
    select distinct unnest(case when input_kind = 'series' then [series]
                                else numerator || coalesce(denominator, []) end) as series
    from input.composite_nodes
    where composite = $composite and input_kind in ('series', 'formula')
)
select distinct s.licence, s.licence_url, s.commercial_use, s.attribution, s.synthetic
from series s
join used u using (series)
where s.rows_stored > 0
order by all
