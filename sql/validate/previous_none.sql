-- No previous vintage yet: nothing was stored before.
create table previous (economy varchar, series varchar, "year" smallint, value double,
                       source varchar)
