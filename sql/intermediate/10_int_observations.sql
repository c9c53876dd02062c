-- Every validated observation, with the corrections register applied:
-- drop removes the row, override replaces the value, flag keeps it; `correction` says which.
create or replace table intermediate.int_observations as
with observations as (
    select * from staging.stg_ictp__observations
), matched as (
    select o.*, c.action, c.value as corrected_value, c.reason,
           row_number() over (partition by o.economy, o.series, o."year", o.source
                              order by c.action, c.reason) as nth
    from observations o
    left join staging.stg_ictp__corrections c
        on c.series = o.series and c.economy = o.economy
        and o."year" between c.year_from and c.year_to
        and (c.source is null or c.source = o.source)
)
select economy, series, "year",
       case when action = 'override' then corrected_value else value end as value,
       source, source_code, obs_status, vintage, raw_sha256, note, source_note,
       case when action is not null then action || ': ' || reason end as correction
from matched
where nth = 1 and action is distinct from 'drop';
