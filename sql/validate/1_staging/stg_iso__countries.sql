-- ISO 3166-1 countries (pycountry, loaded as input.iso_countries): codes and names.
select alpha_3, alpha_2, "numeric", name, official_name, common_name
from input.iso_countries
