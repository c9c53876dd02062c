-- `ictp status`: the rows of one table or view ($table, schema-qualified, from tables.sql).
select count(*) from query_table($table)
