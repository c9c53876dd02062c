-- The macros tidy's models use (pipeline/tidy.py runs this first):
-- `estimate_marked(note, words)`: whether a note has the words marking an estimate (the
-- catalog's estimate_prefix) anywhere, in any case, however many spaces or line breaks stand
-- between them ("SITTEL. ITU estimate.", "RATEL.\nITU  estimate.");
-- `as_sent(text, parsed)`: a date or value as the source sent it, kept by the readers (read/)
-- only where it did not parse (`parsed` is NULL): only quarantine.reason quotes it, and a text
-- kept for every row would be written into int_checked for nothing;
-- `itu_answer(answer)`: the value of an ITU DataHub record (series and aggregates alike), the
-- text of its first answer, NULL when blank;
-- `itu_rows(files, shape)`: the records of ITU DataHub pages (a JSON array each, series and
-- aggregates alike), one `r` each, with its file, its place in the page (`idx`, from 1) and its
-- value (`answer`, itu_answer): typed by from_json (`shape`: the record as a list type);
-- `worldbank_rows(files, shape)`: the rows of World Bank pages (`[header, rows]`, country list
-- and indicators alike), one `r` each, with its file and its place in the page (`idx`, from 1):
-- read typed (`shape`: the source's record as a list type), the JSON parsed once. The header
-- cannot be a list of rows, and ignore_errors makes it (as any element that is not a list)
-- NULL, which is skipped. It ignores nothing else: a page that is not JSON still fails the
-- read, and a field of another type reads as from_json reads it (its JSON text where the field
-- is text, else NULL).
create or replace macro estimate_words(t) as trim(regexp_replace(lower(t), '\s+', ' ', 'g'));
create or replace macro estimate_marked(note, words) as
    contains(estimate_words(note), estimate_words(words));
create or replace macro as_sent(text, parsed) as case when parsed is null then text end;
create or replace macro itu_answer(answer) as nullif(trim(answer[1].value ->> '$'), '');
create or replace macro itu_rows(files, shape) as table
    select filename, idx, r, itu_answer(r.answer) as answer
    from (select filename, unnest(j) as r, generate_subscripts(j, 1) as idx
          from (select filename, from_json(json, shape) as j
                from read_json_objects(files, format = 'unstructured', filename = true)));
create or replace macro worldbank_rows(files, shape) as table
    select filename, unnest(j) as r, generate_subscripts(j, 1) as idx
    from read_json(files, format = 'array', records = false, columns = {j: shape},
                   filename = true, ignore_errors = true)
    where j is not null;
