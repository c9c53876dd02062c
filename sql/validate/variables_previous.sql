-- Where the previous vintage's observations lie (previous.sql reads them).
set variable previous_observations = $path
