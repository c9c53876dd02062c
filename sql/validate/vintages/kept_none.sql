-- No vintage kept yet (processed/vintages/ is empty or absent).
create or replace table vintages_kept (source varchar, series varchar, vintage_id varchar,
                                       number integer, previous_id varchar,
                                       retrieved timestamptz, source_updated date,
                                       pages varchar[], "rows" bigint, path varchar)
