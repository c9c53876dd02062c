-- Coverage: the countries with a value, per series and year (indicator_values: countries only,
-- one value per country, series and year).
select series, "year", count(distinct economy) as economies
from indicator_values
group by all
order by series, "year"
