-- Soft-rule warnings (sql/validate/warnings/) per rule: rows flagged, not quarantined, and the
-- series they are in.
select "rule", count(*) as "rows", count(distinct series) as series,
       string_agg(distinct series, ', ' order by series) as series_list
from validation_warnings
group by all
order by "rule"
