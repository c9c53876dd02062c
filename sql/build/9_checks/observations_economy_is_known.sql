-- Every observation's economy is in the economies table.
select o.economy, o.series, o."year"
from observations o
anti join economies e on e.iso3 = o.economy
