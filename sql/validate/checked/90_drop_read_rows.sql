-- int_checked holds every row read now: free the local files' staged rows (memory, at scale)
-- and the last batch's pages (read/int_checked.sql).
drop table stg_file__observations;
drop table batch_pages;
