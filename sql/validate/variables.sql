-- The year bounds of rule year_in_bounds (ICTP_YEAR_MIN, ICTP_YEAR_MAX), for its reason text.
set variable year_min = $year_min;
set variable year_max = $year_max;
