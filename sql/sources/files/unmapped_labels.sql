-- The series labels of the file that no entry maps ($mapped) nor ignores.
select distinct label from file_rows
where not excluded and label is not null and label not in (select * from unnest($mapped))
order by 1
