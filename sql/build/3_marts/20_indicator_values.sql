-- What analysts and exports read: one value per country, series and year, from the source
-- the catalog's precedence prefers (observations keeps every source). A view over the one
-- table of country values (int_country_values) with names, units and licences joined.
create or replace view indicator_values as
select * exclude (choice, open_choice)
from intermediate.int_country_values_named
where choice = 1;
