-- economy map entries that no source used in the latest data (remove them, or check the source)
select item from (
    select 'codes.' || m.source || '.' || m.code as item from input.economy_map m
    where m.kind = 'code'
      and m.code not in (select code from int_economy_codes where source = m.source)
      and m.code not in (select economy_text from int_sent_mapped
                         where economy_by = 'code' and code_system = m.source)
    union all
    select 'keep.' || k.code from input.economy_map k
    where k.kind = 'keep' and k.code not in (select code from int_economy_codes)
      and k.code not in (select economy from int_sent_mapped)
    union all
    select f.source || ' names.' || '"' || f.name || '"' from input.file_names f
    where f.name_key not in (select lower(trim(economy_text)) from int_sent_mapped r
                             where r.source = f.source)
) order by 1
