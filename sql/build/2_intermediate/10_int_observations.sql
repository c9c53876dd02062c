-- Every validated observation, with the corrections register applied:
-- drop removes the row, override replaces the value, flag keeps it; `correction` says which
-- (the first matching entry, by action then reason, when several match one row).
create or replace view intermediate.int_observations as
with first_match as (
    select o.economy, o.series, o."year", o.source, c.action, c.value as corrected_value,
           c.reason
    from staging.stg_ictp__observations o
    join staging.stg_ictp__corrections c
        on c.series = o.series and c.economy = o.economy
        and o."year" between c.year_from and c.year_to
        and (c.source is null or c.source = o.source)
    qualify row_number() over (partition by o.economy, o.series, o."year", o.source
                               order by c.action, c.reason) = 1
)
select o.economy, o.series, o."year",
       case when f.action = 'override' then f.corrected_value else o.value end as value,
       o.source, o.source_code, o.obs_status, o.vintage, o.raw_sha256, o.note, o.source_note,
       case when f.action is not null then f.action || ': ' || f.reason end as correction
from staging.stg_ictp__observations o
left join first_match f using (economy, series, "year", source)
where f.action is distinct from 'drop';
