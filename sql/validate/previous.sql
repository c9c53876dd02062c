-- The previous vintage: the observations the last successful validate stored, read where they
-- lie (at scale a copy would cost memory).
create view previous as select * from read_parquet(getvariable('previous_observations'))
