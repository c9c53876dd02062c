-- int_checked holds every row read now: free the local files' staged rows (memory, at scale).
drop table stg_file__observations;
