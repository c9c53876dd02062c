-- How many of ITU's published IDI scores the database holds (provider_composite_scores, the
-- itu_idi pull): the records, the countries and ITU regions they are for, and the editions.
select
    count(*) as published,
    count(distinct economy) filter (where provider_country_id is not null) as countries,
    count(distinct economy) filter (where provider_region_id is not null) as regions,
    min(edition) as first_edition,
    max(edition) as last_edition
from provider_composite_scores
