-- economy names that no mapping covers (their rows are quarantined): add them under names: of
-- their file in the files list
select distinct c.source || ' ' || '"' || c.economy_text || '"' as item
from int_sent_mapped c join input.file_names_by b using (source)
where c.economy not in (select iso3 from int_economies) order by 1
