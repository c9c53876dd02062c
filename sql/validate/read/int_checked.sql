-- int_checked: every row of the pages read, with our economy code and what the row rules read,
-- made as the pages are read: pipeline/tidy.py runs this once per reader (read/*.sql: World
-- Bank pages, ITU records, ITU's aggregates, local files) and batch of pages, `{rows}` being
-- that reader's query and `{into}` creating the table (the first batch) or appending to it.
-- Each row gets its page's series, source and vintage (`pages`), our economy code (the text as
-- sent, or what int_text_map says it stands for) and its number in the economy list (NULL:
-- not in the list, so the row is quarantined), whether the row has a value, the catalog's
-- bounds and its kind's cap on magnitudes (max_abs), and the value rounded where the series
-- counts. How many rows share the row's key (key_rows) is counted once every page is read
-- (checked/10_key_rows.sql). economy_text keeps the text as sent only where the economy
-- differs from it (checked/20_int_sent_mapped.sql); rid tells rows apart (the page's number in
-- the high bits, the row's place in it in the low ones).
-- economy_no, series_no and source_no (int_economy_numbers, pages) stand for the key's text
-- wherever rows are grouped, partitioned or sorted by it: integers, in the text's order.
-- The rows are joined to the batch's own pages ($paths, first copied out of `pages`), not to
-- every page: DuckDB hashes the side of a join it expects to be smaller, and it expects about
-- 8,400 rows of 1,000 pages, fewer than a list of 20,000 pages. Joined to `pages` at 20M rows,
-- it hashed the batch's million rows instead of the page list, and each batch took 1.43 s
-- instead of 0.88 s (bench/HISTORY.md).
create or replace temp table batch_pages as
select * from pages where path in (select unnest($paths::varchar[]));
{into}
select
    (p.page_no << 32) + s.idx as rid,
    coalesce(t.economy, s.economy_text) as economy,
    p.series,
    s."year",
    s.number as value,
    p.source,
    p.source_code,
    coalesce(s.obs_status,
             case when estimate_marked(s.source_note, p.estimate_prefix) then 'E' end)
        as obs_status,
    p.vintage,
    p.sha256 as raw_sha256,
    s.value_text,
    s.date_text,
    s.note,
    s.source_note,
    n.economy_no,
    p.series_no,
    p.source_no,
    s.number is not null or s.value_text is not null as has_value,
    coalesce(c.valid_min, '-inf'::double) as valid_min,
    coalesce(c.valid_max, 'inf'::double) as valid_max,
    coalesce(c.max_abs, 'inf'::double) as max_abs,
    case when c.whole then round(s.number) else s.number end as whole_value,
    1::bigint as key_rows,
    case when t.economy is not null then s.economy_text end as economy_text
from ({rows}) s
join batch_pages p on p.path = s.filename
    and (s.source is null or (p.source = s.source and p.source_code is not distinct from s.label))
left join int_text_map t on t.source_no = p.source_no and t.economy_text = s.economy_text
left join int_economy_numbers n on n.iso3 = coalesce(t.economy, s.economy_text)
left join input.catalog_series c on c.series = p.series and c.source = p.source
