"""The floors: the least work each stage's job needs, measured in a child process.

    python -m bench.floors http SPEC.json     download every page with 4 threads, nothing else
    python -m bench.floors duckdb SPEC.json   DuckDB alone: read the raw pages with a typed
                                              struct, check the rules, write the stored rows to
                                              Parquet; the build floor (the stored observations
                                              copied into a new database file plus one
                                              population-weighted aggregate by group and year);
                                              the old hand-written aggregate; the long CSV rows

Each writes `{step: {"seconds", "peak_rss_mb"}, ...}` (plus checks) to SPEC's `result` path.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import requests

from bench.measure import baseline_main
from pipeline import sql
from pipeline.http import read_whole
from pipeline.runs import Stopwatch
from pipeline.sources import list_type, worldbank

IN_FLIGHT = 4  # what ictp uses

# The raw pages read with a typed struct: every `[header, rows]` file is an array whose second
# element is the rows, read by read_json itself as a list of the rows' struct (the header, not a
# list, is NULL). The row's shape is the World Bank source's own declaration, with the value read
# as a number.
ROW_TYPE = list_type({**worldbank.ROW, "value": "DOUBLE"})
READ_RAW_SQL = f"""
create table raw as
select filename, r.countryiso3code as economy, r.date, r.value, r.obs_status
from (
    select filename, unnest(j) as r
    from read_json($files, format = 'array', records = false, columns = {{j: '{ROW_TYPE}'}},
                   filename = true, ignore_errors = true)
    where j is not null
)
"""
# The rules ictp's suite checks, as one query (value present and within the series' range, year
# a year within bounds, economy known, one row per key); failing rows are kept with the rule.
RULES_SQL = """
create table checked as
with c as (
    select raw.economy, p.series, try_cast(raw.date as smallint) as "year", raw.value,
           p.source_code, nullif(raw.obs_status, '') as obs_status, p.vintage,
           p.sha256 as raw_sha256, k.valid_min, k.valid_max
    from raw join pages p on p.path = raw.filename
    left join catalog k using (series)
    where raw.value is not null
)
select c.*,
    case when value < valid_min then 'value_at_least_min'
         when value > valid_max then 'value_at_most_max'
         when "year" is null then 'year_is_year'
         when "year" not between getvariable('year_min') and getvariable('year_max')
             then 'year_in_bounds'
         when economy not in (select iso3 from economies) then 'economy_known'
         when count(*) over (partition by economy, series, "year") > 1 then 'key_unique'
    end as rule
from c
"""
# The columns and order of ictp's observations.parquet (sql/validate/outputs/observations.sql),
# in DuckDB's default row groups and zstd, as pipeline/store.py writes it.
STORE_SQL = """
copy (
    select economy, series, "year", value, 'worldbank' as source, source_code, obs_status,
           vintage, raw_sha256, null::varchar as note, null::varchar as source_note
    from checked
    where rule is null order by series, economy, "year", source
) to '{path}' (format parquet, compression zstd)
"""
# The old build floor, kept for information: the population-weighted mean of every per-100
# series (given, and derived from counts) by World Bank region and year, countries only.
AGGREGATE_SQL = """
create table aggregates as
with obs as (
    select economy, series, "year", value from read_parquet($observations)
), countries as (
    select iso3 as economy, region_id from read_parquet($economies) where not is_aggregate
), pop as (
    select economy, "year", value as pop from obs where series = 'population'
), rates as (
    select economy, series, "year", value from obs where series in $per_100
    union all
    select o.economy, o.series || '_per_100', o."year", o.value / p.pop * 100
    from obs o join pop p using (economy, "year")
    where o.series in $counts
)
select r.series, c.region_id, r."year", sum(r.value * p.pop) / sum(p.pop) as value,
       count(*) as n
from rates r join pop p using (economy, "year") join countries c using (economy)
group by all
"""
# The export floor's CSV rows, read with the dialect it was written in: DuckDB's sniffer looks
# at the first 20,480 rows only, and at 20M the first name that needs quotes (a comma in
# "Congo, The Democratic Republic of the") comes later.
CSV_ROWS_SQL = "select count(*) from read_csv($p, header = true, delim = ',', quote = '\"')"
# Equal for equal multisets of rows of every column (compared with ictp's observations.parquet)
FINGERPRINT_SQL = "select count(*), sum(hash(*columns(*))) from read_parquet($p)"
AGGREGATE_CHECK_SQL = "select count(*), sum(n), round(sum(value), 3) from aggregates"
# The build floor (issue #15): the stored observations copied into a table of a new database
# file, plus one population-weighted aggregate of the per-100 series by group (World Bank
# region, income group) and year, countries only.
BUILD_SQL = """
create table observations as select * from read_parquet($observations);
create table group_aggregates as
with pop as (
    select economy, "year", value as pop from observations where series = 'population'
), members as (
    select iso3 as economy, 'region' as group_type, region as group_name
    from read_parquet($economies) where not is_aggregate
    union all
    select iso3, 'income', income_group from read_parquet($economies) where not is_aggregate
)
select o.series, m.group_type, m.group_name, o."year",
       sum(o.value * p.pop) / sum(p.pop) as value, count(*) as n
from observations o join pop p using (economy, "year") join members m using (economy)
where o.series in $per_100
group by all;
checkpoint;
"""
# The rows and columns of ictp's long CSVs (sql/export/long.sql: countries, one file a series,
# sorted by economy and year), in one file; ictp's wide CSVs are not in the floor.
EXPORT_SQL = """
copy (
    select o.economy, e.name as economy_name, e.region, e.income_group,
           null::varchar as itu_region, o."year", o.value, k.unit, o.source, o.source_code,
           o.obs_status, o.note, o.source_note, o.vintage
    from read_parquet($observations) o
    join read_parquet($economies) e on e.iso3 = o.economy and not e.is_aggregate
    join catalog k using (series)
    order by o.series, o.economy, o."year", o.source
) to '{path}' (header, delimiter ',')
"""


def http_floor(spec: dict) -> dict:
    clock = Stopwatch()
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=IN_FLIGHT, pool_maxsize=IN_FLIGHT)
    session.mount("http://", adapter)

    def download(url: str) -> int:  # the body read as ictp's ingest reads it
        with session.get(url, timeout=30, stream=True) as r:
            return len(read_whole(r))

    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        n_bytes = sum(pool.map(download, spec["urls"]))
    clock.lap("download")
    return {**clock.laps, "bytes": n_bytes, "requests": len(spec["urls"])}


def duckdb_floor(spec: dict) -> dict:
    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"set variable year_min = {spec['year_min']}")
    con.execute(f"set variable year_max = {spec['year_max']}")
    con.execute(
        "create table pages (series varchar, path varchar, source_code varchar, vintage date,"
        " sha256 varchar)"
    )
    if spec["pages"]:
        con.executemany("insert into pages values (?, ?, ?, ?, ?)", spec["pages"])
    con.execute(
        "create table catalog (series varchar, valid_min double, valid_max double, unit varchar)"
    )
    con.executemany(
        "insert into catalog values (?, ?, ?, ?)",
        [(c["series"], c["valid_min"], c["valid_max"], c["unit"]) for c in spec["catalog"]],
    )
    con.execute(
        "create table economies as select iso3 from read_parquet($e)", {"e": spec["economies"]}
    )
    parquet = {"observations": spec["observations"], "economies": spec["economies"]}
    clock = Stopwatch()
    checks = {}
    if spec["pages"]:  # the raw path: the same pages ingest stored
        con.execute(READ_RAW_SQL, {"files": [page[1] for page in spec["pages"]]})
        clock.lap("read_raw")
        con.execute(RULES_SQL)
        failed = "select count(*) from checked where rule is not null"
        checks["rules_failed"] = con.execute(failed).fetchall()[0][0]
        clock.lap("rules")
        con.execute(STORE_SQL.format(path=out / "observations.parquet"))
        clock.lap("write_parquet")
    (out / "build.duckdb").unlink(missing_ok=True)  # a new database file
    built = duckdb.connect(str(out / "build.duckdb"))
    sql.execute(built, BUILD_SQL, {**parquet, "per_100": spec["per_100_series"]})
    checks["build_rows"] = built.execute("select count(*) from observations").fetchall()[0][0]
    checks["build_groups"] = built.execute("select count(*) from group_aggregates").fetchall()[0][0]
    built.close()
    clock.lap("build")
    con.execute(
        AGGREGATE_SQL,
        {**parquet, "per_100": spec["per_100_series"], "counts": spec["count_series"]},
    )
    check = con.execute(AGGREGATE_CHECK_SQL).fetchall()[0]
    clock.lap("aggregate")
    if spec["pages"]:  # above the raw path (20M) one more 5 GB write would not fit the budget
        con.execute(EXPORT_SQL.format(path=out / "countries.csv"), parquet)
        clock.lap("export_csv")
        checks.update(_written(con, out))
    return {**clock.laps, **checks, "aggregate_check": list(check)}


def _written(con: duckdb.DuckDBPyConnection, out: Path) -> dict:
    """What the store and export floors wrote, after the clock: the stored rows' fingerprint
    (as `FINGERPRINT_SQL` gives it for ictp's observations.parquet) and the CSV's rows."""
    stored = con.execute(FINGERPRINT_SQL, {"p": str(out / "observations.parquet")}).fetchall()
    csv = con.execute(CSV_ROWS_SQL, {"p": str(out / "countries.csv")})
    return {"stored_fingerprint": list(map(str, stored[0])), "export_rows": csv.fetchall()[0][0]}


if __name__ == "__main__":
    sys.exit(baseline_main(sys.argv[1:], {"http": http_floor, "duckdb": duckdb_floor}))
