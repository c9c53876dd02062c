-- Each economy text a source sent, once (a few hundred), with the economy it became
-- (read/int_checked.sql): what the economy warnings list as unmapped or unused.
with sent as (
    select source_no, economy_no, economy_text,
           case when economy_no is null then economy end as unlisted
    from int_checked group by all
), sources as (
    select distinct source_no, source, economy_by, code_system from pages
)
select distinct p.source, p.economy_by, p.code_system,
       coalesce(s.economy_text, s.unlisted, n.iso3) as economy_text,
       coalesce(s.unlisted, n.iso3) as economy
from sent s
join sources p using (source_no)
left join int_economy_numbers n using (economy_no)
