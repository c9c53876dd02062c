-- The workbook's notes: every source's licence and attribution, as in sources.csv.
select * from source_terms($table, $synthetic_licence, $synthetic_licence_url, $synthetic_source)
