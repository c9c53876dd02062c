-- What the row rules read (pipeline/expectations.py, suite `rows`): every row with a value, the
-- catalog's bounds, the economy code again where it is in the economy list, and how many rows
-- share the row's key. A value that is not finite (NaN, Infinity) breaks value_is_finite only:
-- `bounded` (the value where it is finite) is what the range, cap and whole-number rules read.
-- materialized: view
select rid, economy,
       case when economy in (select iso3 from int_economies) then economy end as economy_listed,
       series, "year", source, value,
       value is null or isfinite(value) as finite,
       case when isfinite(value) then value end as bounded,
       case when isfinite(value) then abs(value) end as magnitude,
       valid_min, valid_max, max_abs,
       case when isfinite(value) then whole_value end as whole_value,
       key_rows
from int_checked where has_value
