-- `ictp status`: the tables and views of the database (schemas main and qa), from the catalog
-- view, whose rows table_rows.sql counts.
select distinct "schema", "table", kind
from catalog
where "schema" in ('main', 'qa') and "table" <> 'catalog'
order by "schema" = 'qa', "table"
