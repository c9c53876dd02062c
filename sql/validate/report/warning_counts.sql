-- Warnings per soft rule.
select rule, count(*) as count from warnings group by rule order by rule
