-- excluded names that match no row of their file (remove them from exclude:)
select e.source || ' ' || '"' || e.name || '"' as item from input.file_excludes e
where lower(e.name) not in (select lower(economy_text) from all_file_rows a
                            where a.source = e.source and a.excluded)
order by 1
