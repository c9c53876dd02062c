-- `ictp indicators`: every Core List indicator and its status on the built database (with
-- --computed: only the computed ones).
select indicator, name, status, coalesce(reason, methods) as how, economies, first_year,
       latest_year
from core_indicator_status
where status = 'computed' or not $computed
