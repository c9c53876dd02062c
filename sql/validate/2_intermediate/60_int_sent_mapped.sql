-- The economy text each source sent becomes our code: a code through the map for its code
-- system (or as it is); a name through the file's own names, then the sources' spellings.
-- economy_no numbers the codes in their text's order, as pages.sql numbers series and sources.
with mapped as (
    select
        r.*,
        case when r.economy_by = 'name'
             then coalesce(fn.iso3, gn.iso3, r.economy_text)
             else coalesce(m.iso3, r.economy_text) end as economy
    from int_sent_economies r
    left join input.economy_map m
        on r.economy_by = 'code' and m.kind = 'code' and m.source = r.code_system
       and m.code = r.economy_text
    left join input.file_names fn
        on r.economy_by = 'name' and fn.source = r.source
       and fn.name_key = lower(trim(r.economy_text))
    left join int_economy_names gn
        on r.economy_by = 'name' and gn.name_key = lower(trim(r.economy_text))
)
select *, dense_rank() over (order by economy) as economy_no from mapped
