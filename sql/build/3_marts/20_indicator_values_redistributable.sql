-- As indicator_values, choosing only among sources whose licence allows commercial use:
-- what `ictp export --redistributable` writes. A view, as indicator_values: no 20M-row copy.
create or replace view indicator_values_redistributable as
select * exclude (choice, open_choice)
from intermediate.int_country_values_named
where open_choice = 1;
