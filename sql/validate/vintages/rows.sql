-- How many rows validate passed for the series from this source (a vintage's `rows`).
select count(*) from valid_rows where source = $source and series = $series
