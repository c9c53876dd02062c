-- Each economy of the list numbered in its code's order (1, 2, ...): the rows carry the number
-- (int_checked's economy_no), so that a sort, group or partition by economy compares integers
-- rather than text, in the same order.
select iso3, row_number() over (order by iso3) as economy_no from int_economies
