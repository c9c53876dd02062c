-- key_unique's count, once every page is read: how many rows with a value share a row's key
-- (economy, series, year, source: their numbers; an economy not in the list by its text).
-- int_checked says 1 until here; only the rows of keys of more than one row are rewritten
-- (usually none: the update then reads nothing).
create or replace temp table shared_keys as
select economy_no, case when economy_no is null then economy end as unlisted, series_no, "year",
       source_no, count(*) as key_rows
from int_checked where has_value
group by all having count(*) > 1;
update int_checked c set key_rows = k.key_rows
from shared_keys k
where c.has_value and c.series_no = k.series_no and c.source_no = k.source_no
  and c."year" is not distinct from k."year"
  and c.economy_no is not distinct from k.economy_no
  and (c.economy_no is not null or c.economy is not distinct from k.unlisted);
drop table shared_keys;
