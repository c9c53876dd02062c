-- What the row rules read (pipeline/expectations.py, suite `rows`): every row with a value, the
-- catalog's bounds, the economy code again where it is in the economy list, and how many rows
-- share the row's key.
-- materialized: view
select rid, economy,
       case when economy in (select iso3 from int_economies) then economy end as economy_listed,
       series, "year", source, value, valid_min, valid_max, whole_value, key_rows
from int_checked where has_value
