-- The corrections register, with the number of rows each entry changed in this build.
create or replace table corrections as
with applied as (
    select c.series, c.economy, c.year_from, c.year_to, c.source, c.action, c.value,
           c.reason, c.reported_upstream, count(o.series) as rows_matched
    from staging.stg_ictp__corrections c
    left join staging.stg_ictp__observations o
        on o.series = c.series and o.economy = c.economy
        and o."year" between c.year_from and c.year_to
        and (c.source is null or c.source = o.source)
    group by all
)
select * from applied order by series, economy, year_from;

comment on table corrections is 'Known upstream errors (indicators/corrections.yml) and how many stored rows each entry matched. An entry matching nothing is listed in qa.corrections_match_rows.';
comment on column corrections.series is 'ictp series id.';
comment on column corrections.economy is 'Economy code.';
comment on column corrections.year_from is 'First year the entry applies to.';
comment on column corrections.year_to is 'Last year the entry applies to.';
comment on column corrections.source is 'Only rows from this source; NULL = every source.';
comment on column corrections.action is 'drop (row removed from marts), override (value replaced) or flag (kept and marked).';
comment on column corrections.value is 'The replacement value (override only).';
comment on column corrections.reason is 'What is wrong and how we know.';
comment on column corrections.reported_upstream is 'True once reported to the source.';
comment on column corrections.rows_matched is 'Stored rows the entry matched in this build.';
