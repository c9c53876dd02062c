-- Whether the database has the table or view $name (the composite and revisions marts are
-- optional: the report says so when they are absent).
select count(*) > 0 as present
from information_schema.tables
where table_catalog = current_database() and table_schema = 'main' and table_name = $name
