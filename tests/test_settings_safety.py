"""Every ICTP_* setting is checked against its pattern or bounds before anything runs."""

from __future__ import annotations

import pytest


def test_sql_in_the_memory_limit_is_refused_and_runs_nothing(ictp, tmp_path, monkeypatch):
    target = tmp_path / "x"
    monkeypatch.setenv("ICTP_MEMORY_LIMIT", f"2GB'; copy (select 1) to '{target}'; --")
    data = tmp_path / "data"
    for command in ("run", "validate", "build"):
        code, out, err = ictp(command, "--data-dir", data)
        assert code == 1, out
        assert err.startswith("ictp: error: ICTP_MEMORY_LIMIT=") and err.count("\n") == 1
        assert "is not a size such as 2GB" in err
    assert not target.exists()
    assert not data.exists()  # refused before the data directory was even created


@pytest.mark.parametrize("value", ["2GB", "512MiB", "1.5 GB", "100kb", "3TB"])
def test_good_memory_limits_pass(ictp, tmp_path, monkeypatch, value):
    monkeypatch.setenv("ICTP_MEMORY_LIMIT", value)
    code, _out, err = ictp("status", "--data-dir", tmp_path)
    assert code == 0, err


@pytest.mark.parametrize(
    "var, value, words",
    [
        ("ICTP_MEMORY_LIMIT", "lots", "is not a size"),
        ("ICTP_MEMORY_LIMIT", "2GB; drop", "is not a size"),
        ("ICTP_WORLDBANK_URL", "file:///etc/passwd", "is not an http:// or https:// URL"),
        ("ICTP_ITU_URL", "ftp://example.org/v2", "is not an http:// or https:// URL"),
        ("ICTP_ITU_URL", "https://x.org/v2?a='1'", "is not an http:// or https:// URL"),
        ("ICTP_SOURCES", "worldbank,../../x", "'../../x' is not a source id"),
        ("ICTP_SOURCES", "worldbank;itu", "is not a source id"),
        ("ICTP_IF_CHANGED", "maybe", "is not 1 or 0"),
        ("ICTP_FORCE", "2", "is not 1 or 0"),
        ("ICTP_HTTP_TIMEOUT", "nan", "is out of range"),
        ("ICTP_HTTP_TIMEOUT", "0", "is out of range"),
        ("ICTP_HTTP_RETRIES", "-1", "is out of range"),
        ("ICTP_HTTP_RETRIES", "three", "is not a whole number"),
        ("ICTP_HTTP_BACKOFF", "inf", "is out of range"),
        ("ICTP_MAX_IN_FLIGHT", "9", "is out of range: use 1 to 4"),
        ("ICTP_PER_PAGE", "0", "is out of range"),
        ("ICTP_YEAR_MIN", "20", "is out of range"),
        ("ICTP_YEAR_MAX", "1900.5", "is not a whole number"),
    ],
)
def test_bad_settings_get_one_clear_message(ictp, tmp_path, monkeypatch, var, value, words):
    monkeypatch.setenv(var, value)
    code, _out, err = ictp("ingest", "--data-dir", tmp_path / "data")
    assert code == 1
    assert err.startswith(f"ictp: error: {var}=") and err.count("\n") == 1
    assert words in err
    assert not (tmp_path / "data").exists()


def test_a_bad_url_option_is_refused_too(ictp, tmp_path):
    code, _out, err = ictp("ingest", "--data-dir", tmp_path, "--worldbank-url", "gopher://x")
    assert code == 1 and "ICTP_WORLDBANK_URL='gopher://x' is not an http" in err
