-- Two sources give the same series for the same economy and year, and their values differ by
-- more than the series' tolerance: max(absolute, relative x the larger magnitude) (sources.yml
-- agreement, or the series' own tolerance). Both rows stay in observations; this lists them.
select
    a.series,
    a.economy,
    a."year",
    a.source as source_a,
    a.value as value_a,
    b.source as source_b,
    b.value as value_b,
    abs(a.value - b.value) as difference
from observations a
join observations b
    on b.series = a.series and b.economy = a.economy and b."year" = a."year"
   and b.source > a.source
join input.catalog_series t on t.series = a.series and t.source = a.source
where abs(a.value - b.value)
      > greatest(t.tolerance_absolute, t.tolerance_relative * greatest(abs(a.value), abs(b.value)))
order by a.series, a.economy, a."year", a.source, b.source
