-- The macros tidy's models use (pipeline/tidy.py runs this first):
-- `estimate_marked(note, words)`: whether a note has the words marking an estimate (the
-- catalog's estimate_prefix) anywhere, in any case, however many spaces or line breaks stand
-- between them ("SITTEL. ITU estimate.", "RATEL.\nITU  estimate.");
-- `as_sent(text, parsed)`: a date or value as the source sent it, kept by the staging models
-- only where it did not parse (`parsed` is NULL): only quarantine.reason quotes it, and a text
-- kept for every row would be stored twice for nothing (the staged table and int_checked);
-- `itu_answer(answer)`: the value of an ITU DataHub record (series and aggregates alike), the
-- text of its first answer, NULL when blank.
create or replace macro estimate_words(t) as trim(regexp_replace(lower(t), '\s+', ' ', 'g'));
create or replace macro estimate_marked(note, words) as
    contains(estimate_words(note), estimate_words(words));
create or replace macro as_sent(text, parsed) as case when parsed is null then text end;
create or replace macro itu_answer(answer) as nullif(trim(answer[1].value ->> '$'), '');
