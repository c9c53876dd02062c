-- Mart: which inputs are missing for which country, so why it has no score: one row per
-- composite, edition, country and indicator without a value in the nominal run (no source of
-- ours serves the input; no value in the data-year window and none imputed; or the country
-- was screened out for having too few indicators).
create or replace table composite_missing as
with index_score as (
    select composite, edition, economy, score is not null as has_score
    from composite_scores where level = 0
)
select s.composite, s.edition, s.economy, e.name as economy_name, s.code as indicator,
       n.label as indicator_label, n.series, s.status,
       case when s.status = 'unavailable' then 'unavailable: ' || s.reason
            when not s.screened_in then 'screened out: ' || s.indicators_with_data || ' of '
                 || s.indicators || ' indicators have data'
            else 'no value for ' || s.data_year
                 || case when sp.data_year_window > 0
                         then '-' || (s.data_year - sp.data_year_window) else '' end
                 || case when n.impute_method <> 'none' then ' and none imputed (' || n.impute_method || ')'
                         else '' end
       end as reason,
       x.has_score as economy_has_index_score
from intermediate.composite_screened s
join input.composite_nodes n using (composite, edition, code)
join input.composite_specs sp using (composite, edition)
left join intermediate.composite_imputed i
  on i.composite = s.composite and i.edition = s.edition
 and i.code = s.code and i.economy = s.economy
left join economies e on e.iso3 = s.economy
left join index_score x
  on x.composite = s.composite and x.edition = s.edition and x.economy = s.economy
where i.value is null or not s.screened_in
order by s.composite, s.edition, s.economy, n.position;
