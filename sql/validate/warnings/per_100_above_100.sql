-- A per-100 rate above 100 where the series allows it (mobile subscriptions often exceed 100:
-- several SIMs per person): plausible, but worth a look.
select v.rid, format('{} per 100 inhabitants (above 100; the series allows up to {})',
                     round(v.value, 4), k.valid_max) as detail
from valid_rows v
join input.catalog_series k using (source, series)
where k.kind = 'per_100' and k.valid_max > 100 and v.value > 100
