-- A year-on-year change far outside the changes around it (a Hampel filter): the robust
-- z-score of the change against the median and MAD (x 1.4826) of the same economy's changes in
-- the 11 years centred on it. A window, not the whole history, so that the fast years of an
-- adoption curve are compared with their neighbours, not with decades of zeros.
-- Threshold: yoy_robust_z in indicators/series.yml. Needs 6 changes in the window.
with ordered as (
    select rid, source, series, economy, "year", value,
           lag(value) over w as prev_value,
           lag("year") over w as prev_year
    from valid_rows
    window w as (partition by source, series, economy order by "year")
), changes as (
    select rid, source, series, economy, "year", value, prev_value, prev_year,
           value - prev_value as change
    from ordered
    where prev_year = "year" - 1
), around as (
    select *, list(change) over k as changes_around
    from changes
    window k as (partition by source, series, economy order by "year"
                 rows between 5 preceding and 5 following)
), centred as (
    select *, list_aggregate(changes_around, 'median') as med, len(changes_around) as n
    from around
), windowed as (
    -- median(|x - median|) of the window's changes: what mad() computes, here on the list
    -- (one window pass instead of two)
    select *,
           list_aggregate(list_transform(changes_around, lambda x: abs(x - med)), 'median') as mad
    from centred
)
select w.rid,
       format('change {} from {} in {} is {} robust SDs from the median change {} of the years around it (threshold {})',
              round(w.change, 4), round(w.prev_value, 4), w.prev_year,
              round(abs(w.change - w.med) / (1.4826 * w.mad), 1), round(w.med, 4),
              k.yoy_robust_z) as detail
from windowed w
join input.catalog_series k using (source, series)
where w.n >= 6
  and w.mad > 0
  and abs(w.change - w.med) / (1.4826 * w.mad) > k.yoy_robust_z
