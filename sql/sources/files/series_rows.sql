-- How many rows of the file are series $label's (NULL: a file of one series).
select count(*) from file_rows where not excluded and label is not distinct from $label
