-- Stage 3, imputed: a missing cell of a screened-in economy takes, as its indicator
-- says, the latest older value within `years` (carry), or the median or mean of the other
-- screened-in economies of its World Bank income group or region that have a value
-- (group_median, group_mean). Imputed cells are flagged with how. An uncertainty run with
-- imputation off uses raw_value instead (the normalised stage).
create or replace table intermediate.composite_imputed as
with groups as (
    select iso3 as economy, income_id as income_group, region_id as region from economies
), cells as (
    select s.*, n.impute_method, n.impute_group,
           case n.impute_group when 'income_group' then g.income_group
                               when 'region' then g.region end as group_code
    from intermediate.composite_screened s
    join input.composite_nodes n using (composite, edition, code)
    left join groups g using (economy)
), donors as (
    select composite, edition, code, group_code,
           median(raw_value) as median_value,
           avg(raw_value order by economy) as mean_value,  -- in a fixed order: the same bits
           count(*) as donors
    from cells
    where screened_in and raw_value is not null and group_code is not null
    group by all
), filled as (
    select c.*,
           case when c.raw_value is not null or not c.screened_in then null
                when c.impute_method = 'carry' then c.carry_value
                when c.impute_method = 'group_median' then d.median_value
                when c.impute_method = 'group_mean' then d.mean_value end as imputed_value,
           case when c.impute_method = 'carry' then 'carried from ' || c.carry_year
                when c.impute_method like 'group_%' then
                    replace(c.impute_method, 'group_', '') || ' of ' || d.donors || ' in '
                    || c.impute_group || ' ' || c.group_code end as imputed_how
    from cells c
    left join donors d using (composite, edition, code, group_code)
)
select f.composite, f.edition, f.code, f.economy, f.screened_in,
       f.raw_value, f.input_year, f.status,
       coalesce(f.raw_value, f.imputed_value) as value,
       f.raw_value is null and f.imputed_value is not null as imputed,
       case when f.raw_value is null and f.imputed_value is not null
            then f.impute_method end as imputation,
       case when f.raw_value is null and f.imputed_value is not null
            then f.imputed_how end as imputation_detail,
       case when f.raw_value is null and f.impute_method = 'carry'
                 and f.imputed_value is not null then f.carry_year
            else f.input_year end as value_year
from filled f;
