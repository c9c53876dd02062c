-- A year-on-year change far outside the changes around it (a Hampel filter): the robust
-- z-score of the change against the median and MAD (x 1.4826) of the same economy's changes in
-- the 11 years centred on it. A window, not the whole history, so that the fast years of an
-- adoption curve are compared with their neighbours, not with decades of zeros.
-- Threshold: yoy_robust_z in indicators/series.yml. Needs 6 changes in the window.
-- The windows partition by the numbers of source, series and economy (int_checked), and carry
-- nothing else of the row (at 20M, alone: 12.9 s, against 18.4 s partitioning by the text).
with ordered as (
    select rid, source_no, series_no, economy_no, "year", value,
           lag(value) over w as prev_value,
           lag("year") over w as prev_year
    from valid_rows
    window w as (partition by source_no, series_no, economy_no order by "year")
), changes as (
    select rid, source_no, series_no, economy_no, "year", value, prev_value, prev_year,
           value - prev_value as change
    from ordered
    where prev_year = "year" - 1
), around as (
    select *, list(change) over k as changes_around
    from changes
    window k as (partition by source_no, series_no, economy_no order by "year"
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
), thresholds as (  -- per source and series, by their numbers
    select distinct p.source_no, p.series_no, k.yoy_robust_z
    from pages p join input.catalog_series k using (source, series)
)
select w.rid,
       format('change {} from {} in {} is {} robust SDs from the median change {} of the years around it (threshold {})',
              round(w.change, 4), round(w.prev_value, 4), w.prev_year,
              round(abs(w.change - w.med) / (1.4826 * w.mad), 1), round(w.med, 4),
              k.yoy_robust_z) as detail
from windowed w
join thresholds k using (source_no, series_no)
where w.n >= 6  -- and mad > 0, inside the comparison: as a filter of its own, mad was computed twice
  and case when w.mad > 0 then abs(w.change - w.med) / (1.4826 * w.mad) end > k.yoy_robust_z
