-- The headline trends: per indicator of $indicators and group of the group types $group_types,
-- our aggregate (source 'ictp', the aggregates mart) and each provider's own aggregate
-- (intermediate.int_provider_aggregates), year by year.
with ours as (
    select indicator, group_type, group_code, "year", value, 'ictp' as source
    from aggregates
    where value is not null
), theirs as (
    select indicator, group_type, group_code, "year", value, source
    from intermediate.int_provider_aggregates
), named as (
    select distinct group_type, group_code, group_name
    from intermediate.int_group_members
)
select x.indicator, x.group_type, x.group_code, coalesce(n.group_name, x.group_code) as group_name,
       x.source, x."year", x.value
from (select * from ours union all select * from theirs) x
left join named n using (group_type, group_code)
where list_contains($indicators, x.indicator)
  and list_contains($group_types, x.group_type)
order by x.indicator, x.group_type, x.group_code, x.source, x."year"
