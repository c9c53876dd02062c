-- The per-series summary the table-level rules checked, for the failures' messages.
select * from series_checks order by rid
