"""Tidy reads a World Bank page's rows typed, in DuckDB's JSON reader itself
(sql/validate/read/worldbank.sql). The reader skips the page header (not a list of rows) and
nothing else: every row of every page is read, a field of another type is read as from_json
reads it, and a page that is not JSON fails with the reader's name. Read in several batches
(more than 1,000 pages), a series stores the rows it stores in one.

Pages are written by hand in the API's `[header, rows]` shape and run through the real reader,
beside a country list that gives Kenya's ISO2 code; the batches' test serves the demo data in
the World Bank format on 127.0.0.1 and runs `ictp ingest` and `ictp validate`."""

from __future__ import annotations

import json
from typing import NamedTuple

import duckdb
import pytest
from conftest import demo_api, run_worldbank
from sql_harness import SQL_DIR

from pipeline import errors, sql
from pipeline.cli import main
from pipeline.errors import IctpError
from pipeline.sources import worldbank
from pipeline.tidy import PAGES_PER_BATCH

READER = SQL_DIR / "validate" / "read" / "worldbank.sql"
MACROS = SQL_DIR / "validate" / "macros.sql"  # as_sent, which the reader calls
COLUMNS = "idx, economy_text, year, date_text, value_text, number, obs_status"
HEADER = {"page": 1, "pages": 1, "per_page": 1000, "total": 2, "lastupdated": "2026-07-01"}


def row(iso3="KEN", year="2020", value=12.5, status=""):
    return {
        "indicator": {"id": "IT.NET.USER.ZS", "value": "Individuals using the Internet"},
        "country": {"id": iso3[:2], "value": "Somewhere"},
        "countryiso3code": iso3,
        "date": year,
        "value": value,
        "unit": "",
        "obs_status": status,
        "decimal": 1,
    }


def staged(tmp_path, *pages) -> list[tuple]:
    """The reader's rows (COLUMNS, by file then row) from pages written as files in order."""
    files = []
    for i, page in enumerate(pages):
        path = tmp_path / f"page{i}.json"
        path.write_text(page if isinstance(page, str) else json.dumps(page))
        files.append(path)
    con = duckdb.connect()
    sql.query(con, MACROS)
    con.execute("create table stg_worldbank__economies as select 'KEN' as code, 'KE' as iso2")
    params = {"files": [str(f) for f in files], "shape": worldbank.SHAPES["observations"]}
    with sql.failing_as(READER):  # as pipeline/tidy.py runs it
        con.execute(f"create table rows as {sql.body_of(sql.text(READER))}", params)
    return con.execute(f"select {COLUMNS} from rows order by filename, idx").fetchall()


def test_every_row_is_read_typed_and_the_header_is_skipped(tmp_path):
    page = [HEADER, [row(), row("TZA", "2019", None, "E")]]
    assert staged(tmp_path, page) == [
        (1, "KEN", 2020, None, None, 12.5, None),
        (2, "TZA", 2019, None, None, None, "E"),
    ]


def test_the_texts_are_kept_only_where_they_are_not_a_year_or_a_number(tmp_path):
    # what quarantine.reason quotes; a year and a number need no text beside them
    page = [HEADER, [row(year="2020Q1", value="12,5"), row(value="7"), row(year="1999")]]
    assert staged(tmp_path, page) == [
        (1, "KEN", None, "2020Q1", "12,5", None, None),
        (2, "KEN", 2020, None, None, 7.0, None),
        (3, "KEN", 1999, None, None, 12.5, None),
    ]


def test_without_an_iso3_code_the_country_list_gives_the_code_for_the_iso2_one(tmp_path):
    # the ISO2 code itself where the list lacks it, so it is warned about as unmapped
    page = [HEADER, [{**row(), "countryiso3code": ""}, {**row("XXA"), "countryiso3code": ""}]]
    assert staged(tmp_path, page) == [
        (1, "KEN", 2020, None, None, 12.5, None),
        (2, "XX", 2020, None, None, 12.5, None),
    ]


def test_a_field_of_another_type_reads_as_text_or_null_and_keeps_its_page(tmp_path):
    odd = [
        {**row(), "value": {"x": 1}, "date": 2019},  # an object as text, a number date as text
        # a string where an object is declared (and no ISO3 code, so the ISO2 one is read)
        {**row(), "countryiso3code": "", "country": "KE", "value": "n/a"},
        5,  # not a record at all: every field NULL
        {**row(), "countryiso3code": ["KEN"], "value": "1e400"},
    ]
    assert staged(tmp_path, [HEADER, [row(), *odd]], [HEADER, [row("UGA")]]) == [
        (1, "KEN", 2020, None, None, 12.5, None),
        (2, "KEN", 2019, None, '{"x":1}', None, None),
        (3, None, 2020, None, "n/a", None, None),
        (4, None, None, None, None, None, None),
        (5, '["KEN"]', 2020, None, None, float("inf"), None),
        (1, "UGA", 2020, None, None, 12.5, None),
    ]


def test_a_page_without_rows_gives_none(tmp_path):
    assert staged(tmp_path, [HEADER, None], [HEADER, []], [HEADER, "no rows"]) == []


@pytest.mark.parametrize(
    "body",
    [json.dumps([HEADER, [row()]])[:-5], '{"not": "an array"}', '[{"page": 1} [{"a": 1}]]'],
    ids=["cut short", "an object", "a comma missing"],
)
def test_a_page_that_is_not_json_of_the_shape_fails_with_the_reader_and_file(tmp_path, body):
    with pytest.raises(IctpError) as failed:
        staged(tmp_path, [HEADER, [row()]], body)
    assert "read/worldbank.sql" in str(failed.value)
    assert "page1.json" in str(failed.value)


class Stored(NamedTuple):
    rows: list  # observations.parquet's, without what names their page (its sha256)
    quarantined: list  # quarantine.parquet's, likewise and without the run id
    pages: int  # how many pages the stored rows came from


def _stored(data) -> Stored:
    tables = data / "processed" / "tables"
    observations, quarantine = tables / "observations.parquet", tables / "quarantine.parquet"
    with duckdb.connect() as con:
        return Stored(
            con.execute(
                "select * exclude (raw_sha256) from read_parquet(?) order by all",
                [str(observations)],
            ).fetchall(),
            con.execute(
                "select * exclude (raw_sha256, run_id) from read_parquet(?) order by all",
                [str(quarantine)],
            ).fetchall(),
            con.execute(
                "select count(distinct raw_sha256) from read_parquet(?)", [str(observations)]
            ).fetchall()[0][0],
        )


def test_a_series_read_in_several_batches_stores_what_one_batch_does(tmp_path, monkeypatch):
    """Tidy reads 1,000 pages a statement (pipeline/tidy.py), each batch joined to its own pages
    (read/int_checked.sql). The same series served one row a page (about 2,000 pages: two
    batches) and 500 rows a page (four pages: one batch) stores the same rows."""
    runs = {}
    for per_page in ("1", "500"):
        monkeypatch.setenv("ICTP_PER_PAGE", per_page)
        data = tmp_path / f"per_page_{per_page}"
        code = run_worldbank(data, demo_api(), "internet_users_pct", command="ingest")
        assert code == 0
        assert main(["validate", "--data-dir", str(data)]) == errors.ROWS_QUARANTINED
        runs[per_page] = _stored(data)
    one_row_pages, few_pages = runs["1"], runs["500"]
    assert one_row_pages.pages > PAGES_PER_BATCH  # a page per stored row: two batches at least
    assert few_pages.pages == 4
    assert len(few_pages.rows) == one_row_pages.pages and few_pages.quarantined  # some not stored
    assert one_row_pages.rows == few_pages.rows
    assert one_row_pages.quarantined == few_pages.quarantined
