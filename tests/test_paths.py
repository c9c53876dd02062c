"""Every file ictp writes lies inside its folder: even a name that got past the catalog's
identifier rule (here written into a built database by hand) cannot put a file elsewhere."""

from __future__ import annotations

import duckdb
import pytest

from pipeline import paths
from pipeline.errors import IctpError


def test_a_name_leading_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    assert (
        paths.inside(folder, folder / "internet_users_pct.csv") == folder / "internet_users_pct.csv"
    )
    for bad in (folder / ".." / ".." / "x.csv", tmp_path / "elsewhere.csv", folder / "/etc/x"):
        with pytest.raises(IctpError, match="lies outside"):
            paths.inside(folder, bad)
    (folder / "out").symlink_to(tmp_path)  # a link leading out of the folder
    with pytest.raises(IctpError, match="lies outside"):
        paths.inside(folder, folder / "out" / "x.csv")


def test_export_refuses_a_series_id_leading_out_and_writes_nothing_outside(
    published_demo, ictp, tmp_path
):
    """The demo's database with one series renamed `../../escaped` (what the catalog refuses):
    export fails with one message, writes no file outside the exports, keeps the old ones."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(published_demo / "processed", data / "processed", symlinks=True)
    db = data / "processed" / "ict.duckdb"
    with duckdb.connect(str(db)) as con:
        for table in ("series", "input.catalog_series", "intermediate.int_country_values"):
            con.execute(f"update {table} set series = '../../escaped' where series = 'population'")
        n = "select count(*) from indicator_values where series = '../../escaped'"
        assert con.execute(n).fetchone()[0] > 0  # the renamed series is what export would write
    before = sorted(p.name for p in (data / "processed" / "exports").iterdir())
    code, _out, err = ictp("export", "--data-dir", data, "--force")
    assert code == 1 and "refusing to write" in err and "lies outside" in err
    assert not list(tmp_path.rglob("escaped*"))
    assert sorted(p.name for p in (data / "processed" / "exports").iterdir()) == before
