-- int_checked holds every candidate row now: free the staged copies (memory, at scale).
drop view int_candidates;
drop table stg_worldbank__observations;
drop table stg_itu__observations;
drop table stg_itu__aggregates;
drop table stg_file__observations;
