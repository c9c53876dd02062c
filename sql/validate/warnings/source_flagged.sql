-- Values the source itself flags (an estimate, a break in series...).
select rid, format('the source flags this value: {}', obs_status) as detail
from valid_rows
where obs_status is not null
