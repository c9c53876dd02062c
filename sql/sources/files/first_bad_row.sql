-- The first row (and how many like it) that breaks the file check $check: no economy, a year
-- that is not a year (2015, " 2015 ", or a spreadsheet's 2015.0), or a value that is not a
-- number (a plain or scientific number: ITU writes 3.62153e+007).
select row_no, economy_text, year_text, value_text, count(*) over () as n
from file_rows
where not excluded
  and case $check
          when 'no economy' then economy_text is null or economy_text = ''
          when 'is not a year' then
              year_text is null or not regexp_matches(year_text, '^\s*\d{4}(\.0+)?\s*$')
          when 'is not a number' then
              value_text is not null and try_cast(trim(value_text) as double) is null
      end
order by row_no
limit 1
