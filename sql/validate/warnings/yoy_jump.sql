-- A year-on-year change far outside the changes around it (a Hampel filter): the robust
-- z-score of the change against the median and MAD (x 1.4826) of the same economy's changes in
-- the 11 years centred on it. A window, not the whole history, so that the fast years of an
-- adoption curve are compared with their neighbours, not with decades of zeros.
-- Threshold: yoy_robust_z in indicators/series.yml. Needs 6 changes in the window.
-- The windows partition by one number per source, series and economy (`key`: their numbers in
-- int_checked, 21 bits each), so that their sort compares one integer rather than three (at
-- 20M rows, alone: 12.2 s -> 10.6 s; 18.4 s by the text), and carry nothing else of the row but
-- its id, year and value. The bits are a literal on purpose: DuckDB then knows the key's range
-- from the numbers' and sorts a narrower key (a multiplier read from the data took 12 s).
-- `thresholds` stops the run, rather than merge two series' windows, if a number outgrows them.
with ordered as (
    select rid, (source_no * 2097152 + series_no) * 2097152 + economy_no as "key", "year", value,
           lag(value) over w as prev_value,
           lag("year") over w as prev_year
    from valid_rows
    window w as (partition by "key" order by "year")
), changes as (
    select rid, "key", "year", value, prev_value, prev_year,
           value - prev_value as change
    from ordered
    where prev_year = "year" - 1
), around as (
    select *, list(change) over k as changes_around
    from changes
    window k as (partition by "key" order by "year"
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
), thresholds as (  -- per source and series, by their part of `key`
    select distinct p.source_no * 2097152 + p.series_no as source_series, k.yoy_robust_z
    from pages p join input.catalog_series k using (source, series)
    where case when p.series_no < 2097152 and p.source_no < 2097152
                    and (select max(economy_no) from int_economy_numbers) < 2097152 then true
               else error('yoy_jump keys sources, series and economies by 21 bits each, and '
                          || 'this run has more than 2,097,151 of one: split the catalog into '
                          || 'smaller ones, or widen the key in this file') end
)
select w.rid,
       format('change {} from {} in {} is {} robust SDs from the median change {} of the years around it (threshold {})',
              round(w.change, 4), round(w.prev_value, 4), w.prev_year,
              round(abs(w.change - w.med) / (1.4826 * w.mad), 1), round(w.med, 4),
              k.yoy_robust_z) as detail
from windowed w
join thresholds k on k.source_series = w."key" // 2097152
where w.n >= 6  -- and mad > 0, inside the comparison: as a filter of its own, mad was computed twice
  and case when w.mad > 0 then abs(w.change - w.med) / (1.4826 * w.mad) end > k.yoy_robust_z
