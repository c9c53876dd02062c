-- The candidates with our economy code and what the row rules read: whether the row has a
-- value, the catalog's bounds and its kind's cap on magnitudes (max_abs), the value rounded
-- where the series counts, and how many rows with a value share the row's key (key_unique).
-- economy_no, series_no and source_no (int_sent_mapped, pages) stand for the key's text
-- wherever rows are grouped, partitioned or sorted by it: integers, in the text's order.
with candidates as not materialized (  -- read twice: joined again rather than held whole
    select
        r.rid,
        m.economy, r.series, r."year", r.value, r.source, r.source_code, r.obs_status,
        r.vintage, r.raw_sha256, r.value_text, r.date_text, r.note, r.source_note,
        m.economy_no, r.series_no, r.source_no
    from int_candidates r
    left join int_sent_mapped m
        on m.source = r.source and m.economy_by is not distinct from r.economy_by
       and m.code_system is not distinct from r.code_system
       and m.economy_text is not distinct from r.economy_text
), keyed as (
    select economy_no, series_no, "year", source_no, count(*) as key_rows
    from candidates where value is not null or value_text is not null
    group by all having count(*) > 1
)
select c.*,
       c.value is not null or c.value_text is not null as has_value,
       coalesce(s.valid_min, '-inf'::double) as valid_min,
       coalesce(s.valid_max, 'inf'::double) as valid_max,
       coalesce(s.max_abs, 'inf'::double) as max_abs,
       case when s.whole then round(c.value) else c.value end as whole_value,
       coalesce(k.key_rows, 1) as key_rows
from candidates c
left join input.catalog_series s using (series, source)
left join keyed k on k.economy_no = c.economy_no
    and k.series_no = c.series_no and k."year" is not distinct from c."year"
    and k.source_no = c.source_no
