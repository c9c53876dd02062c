-- The soft rules' findings (sql/validate/warnings/*.sql, run by soft_rule.sql): reported,
-- never quarantined.
create table warnings (rid bigint, rule varchar, detail varchar)
