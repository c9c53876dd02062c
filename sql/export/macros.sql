-- How a figure is written in the CSV files: whole numbers (counts, population, zeros) without a
-- trailing ".0"; others as the shortest text that reads back to the same double.
create or replace temp macro number_text(x) as
    case when x = trunc(x) and abs(x) < 1e15 then cast(cast(x as bigint) as varchar)
         else cast(x as varchar) end;

-- Text a spreadsheet would take for a formula, made inert (OWASP's rule for CSV injection): a
-- text starting with =, +, -, @, a tab or a carriage return gets a leading '. Applied to every
-- text field of the CSV files and the workbook, never to a number (value, year); the database
-- keeps the text as the source sent it. docs/outputs.md describes the rule.
-- (ascii(x) is the code of x's first character: 61 =, 43 +, 45 -, 64 @, 9 tab, 13 carriage
-- return; no regular expression per field of every row.)
create or replace temp macro safe_text(x) as
    case when ascii(x) in (61, 43, 45, 64, 9, 13) then '''' || x else x end;

-- The rows of series s in table t (indicator_values or indicator_values_redistributable) in long
-- form, texts made safe, the value still a number: what <series>.csv and the workbook's series
-- sheets hold, sorted by economy and year.
create or replace temp macro long_rows(t, s) as table
    select safe_text(v.economy) as economy, safe_text(v.economy_name) as economy_name,
           safe_text(v.region) as region, safe_text(v.income_group) as income_group,
           safe_text(v.itu_region) as itu_region, v."year", v.value,
           safe_text(v.unit) as unit, safe_text(v.source) as source,
           safe_text(v.source_code) as source_code, safe_text(v.obs_status) as obs_status,
           safe_text(v.note) as note, safe_text(v.source_note) as source_note, v.vintage
    from query_table(t) v
    where v.series = s
    order by v.economy, v."year", v.source;

-- One row per source with figures in table t: its licence, licence URL, attribution and whether
-- the licence allows commercial use. The synthetic demo data says so instead: its own licence
-- (lic, lic_url) and credit line (credit). What sources.csv and the workbook's notes hold.
create or replace temp macro source_terms(t, lic, lic_url, credit) as table
    with present as (
        select s.source, bool_or(s.synthetic) as synthetic,
               any_value(s.licence) as licence, any_value(s.licence_url) as licence_url,
               any_value(s.attribution) as attribution,
               bool_and(s.commercial_use) as commercial_use
        from series s
        where exists (select 1 from query_table(t) v
                      where v.series = s.series and v.source = s.source)
        group by s.source
    )
    select safe_text(p.source) as source, safe_text(src.name) as name,
           safe_text(case when p.synthetic then lic else p.licence end) as licence,
           safe_text(case when p.synthetic then lic_url else p.licence_url end) as licence_url,
           safe_text(case when p.synthetic then credit else p.attribution end) as attribution,
           p.synthetic or p.commercial_use as commercial_use,
           p.synthetic
    from present p
    join input.catalog_sources src using (source)
    order by p.source;
