-- A sheet of a local XLSX workbook as it is (`raw_file_df`, read by openpyxl): every cell as
-- text, each row numbered as the sheet numbers it.
create or replace temp table raw_file as select * from raw_file_df
