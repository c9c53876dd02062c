-- One soft rule of sql/validate/warnings/ (pipeline/validate.py puts its query in the braces
-- below): every row it returns (rid, detail) becomes a warning of rule $rule.
insert into warnings select rid, $rule, detail from ({rule_query})
