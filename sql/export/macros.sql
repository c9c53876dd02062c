-- How a figure is written in the CSV files: whole numbers (counts, population, zeros) without a
-- trailing ".0"; others as the shortest text that reads back to the same double.
create or replace temp macro number_text(x) as
    case when x = trunc(x) and abs(x) < 1e15 then cast(cast(x as bigint) as varchar)
         else cast(x as varchar) end;
