-- A series sheet of the workbook: the rows of <series>.csv with the value a number.
select * from long_rows($table, $series)
