-- What an economy text a source sends stands for, where it is not the text itself (a few
-- hundred rows, joined onto every row as the pages are read: read/int_checked.sql): a code
-- through the economy map of its source's code system (map.yml codes:); a name, from a local
-- file that gives names, through the file's own names, then the sources' spellings
-- (int_economy_names), else itself (so it is warned about and its rows quarantined).
with sources as (
    select distinct source_no, source, economy_by, code_system from pages
)
select s.source_no, m.code as economy_text, m.iso3 as economy
from sources s
join input.economy_map m on m.kind = 'code' and m.source = s.code_system
where s.economy_by = 'code'
union all
select s.source_no, f.economy_text, coalesce(fn.iso3, gn.iso3, f.economy_text)
from (select distinct source, economy_text from stg_file__observations) f
join sources s on s.source = f.source and s.economy_by = 'name'
left join input.file_names fn
    on fn.source = f.source and fn.name_key = lower(trim(f.economy_text))
left join int_economy_names gn on gn.name_key = lower(trim(f.economy_text))
