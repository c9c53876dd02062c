-- The rows that broke a row rule (`failures`: rid and rule, as Great Expectations listed
-- them), each with every rule it broke, its value and the bound, as quarantine.reason reads.
select
    rid,
    string_agg(
        case rule
            when 'value_is_number' then
                format('{}: value {} is not a number', rule, coalesce(value_text, 'null'))
            when 'value_type' then
                format('{}: value {} is not stored as a double', rule, value)
            when 'value_is_finite' then
                format('{}: value {} is not a finite number', rule, coalesce(value_text, value::varchar))
            when 'value_within_cap' then
                format('{}: value {} is larger in magnitude than {}, the cap of its kind (series.yml kinds: max_abs)',
                       rule, value, max_abs)
            when 'value_at_least_min' then
                format('{}: value {} is below the minimum {} for {} (series.yml)',
                       rule, value, valid_min, series)
            when 'value_at_most_max' then
                format('{}: value {} is above the maximum {} for {} (series.yml)',
                       rule, value, valid_max, series)
            when 'count_is_whole' then
                format('{}: value {} of the count {} is not a whole number', rule, value, series)
            when 'year_is_year' then
                format('{}: date {} is not a calendar year', rule, date_text)
            when 'year_in_bounds' then
                format('{}: year {} is outside {}-{} (ICTP_YEAR_MIN/ICTP_YEAR_MAX)',
                       rule, "year", getvariable('year_min'), getvariable('year_max'))
            when 'economy_known' then
                format('{}: economy code {} is not in the economy list', rule, economy)
            when 'key_unique' then
                format('{}: more than one row for {} {} {} {}',
                       rule, economy, series, "year", source)
        end,
        '; ' order by rule) as reason
from failures join int_checked using (rid)
group by rid
