"""The catalog is strict: every bad entry is one error naming the file, the entry and the key,
through the real CLI (exit 1), on a copy of the shipped catalog edited the way a careless or
hostile user would edit it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, copy_tree

from pipeline.catalog import docs
from pipeline.catalog.base import Entry


@pytest.fixture
def catalog(tmp_path, monkeypatch) -> Path:
    folder = copy_tree(ROOT / "indicators", tmp_path / "indicators")
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(folder))
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fails(ictp, data: Path) -> str:
    code, _out, err = ictp("ingest", "--list-series", "--data-dir", data)
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def test_unknown_key_names_file_entry_and_key(ictp, catalog, tmp_path):
    edit(catalog / "series.yml", "    valid_range: [0, 100]\n", "    valid_rnage: [0, 100]\n")
    err = fails(ictp, tmp_path)
    assert (
        f"{catalog / 'series.yml'}: series #6 (fixed_broadband_subs_per_100): unknown key valid_rnage"
        in err
    )
    assert "known keys: id, name, unit, kind, valid_range" in err


def test_commercial_use_no_is_not_true(ictp, catalog, tmp_path):
    edit(catalog / "sources.yml", "    commercial_use: false\n", '    commercial_use: "no"\n')
    err = fails(ictp, tmp_path)
    assert f"{catalog / 'sources.yml'}: source itu: commercial_use: 'no' is not valid" in err
    assert "expected true or false" in err


def test_a_bound_of_true_is_not_one(ictp, catalog, tmp_path):
    edit(catalog / "series.yml", "    valid_range: [0, 100]\n", "    valid_range: [0, true]\n")
    err = fails(ictp, tmp_path)
    assert (
        "series #6 (fixed_broadband_subs_per_100): valid_range.1: True is not valid: expected a number"
        in err
    )


def test_a_bound_that_is_a_word(ictp, catalog, tmp_path):
    edit(catalog / "series.yml", "    valid_range: [0, 100]\n", "    valid_range: [0, lots]\n")
    err = fails(ictp, tmp_path)
    assert (
        "series #6 (fixed_broadband_subs_per_100): valid_range.1: 'lots' is not valid: expected a number"
        in err
    )


def test_licence_given_as_a_string(ictp, catalog, tmp_path):
    edit(
        catalog / "sources.yml",
        "    licence:\n      name: CC-BY-4.0\n      title: Creative Commons Attribution 4.0 "
        "International\n      path: https://creativecommons.org/licenses/by/4.0/\n",
        "    licence: CC-BY-4.0\n",
    )
    err = fails(ictp, tmp_path)
    assert "sources.yml: source worldbank: licence: 'CC-BY-4.0' is not valid" in err
    assert "expected a mapping (known keys: name, title, path)" in err


def test_series_id_must_be_an_identifier(ictp, catalog, tmp_path):
    edit(catalog / "series.yml", "  - id: internet_users_pct\n", "  - id: ../../x\n")
    err = fails(ictp, tmp_path)
    assert (
        "series.yml: series #7 (../../x): id: '../../x' is not valid: expected an identifier" in err
    )


def test_source_id_must_be_an_identifier(ictp, catalog, tmp_path):
    edit(catalog / "sources.yml", "  worldbank:\n", "  ../wb:\n")
    err = fails(ictp, tmp_path)
    assert "sources.yml: top level: sources.../wb.[key]: '../wb' is not valid" in err


def test_missing_required_key(ictp, catalog, tmp_path):
    edit(
        catalog / "series.yml", '    unit: "% of population"\n    kind: percent\n', "    unit: x\n"
    )
    err = fails(ictp, tmp_path)
    assert "series.yml: series #7 (internet_users_pct): lacks the key kind" in err


def test_yaml_syntax_error_names_file_and_line(ictp, catalog, tmp_path):
    edit(catalog / "series.yml", "  - id: internet_users_pct\n", "  - id: [internet_users_pct\n")
    err = fails(ictp, tmp_path)
    assert f"{catalog / 'series.yml'} is not valid YAML" in err
    line = next(
        n
        for n, text in enumerate((catalog / "series.yml").read_text().splitlines(), 1)
        if "[internet_users_pct" in text
    )
    assert re.search(rf"line {line}\b", err), err


def test_kind_without_maximum_needs_one(ictp, catalog, tmp_path):
    edit(catalog / "series.yml", "    valid_range: [0, 600]\n", "")
    err = fails(ictp, tmp_path)
    assert "series #4 (mobile_cellular_subs_per_100): kind per_100 needs a maximum" in err


def files_list(tmp_path: Path, path: str) -> Path:
    folder = tmp_path / "drops"
    folder.mkdir(exist_ok=True)
    (folder / "files.yml").write_text(
        f"files:\n  - name: survey\n    path: {path}\n"
        "    columns: {economy: Country, year: Year, value: Value}\n"
        "    series: internet_users_pct\n    terms: worldbank\n",
        encoding="utf-8",
    )
    return folder / "files.yml"


@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/passwd"])
def test_files_path_outside_the_list_folder_is_refused(ictp, catalog, tmp_path, monkeypatch, path):
    monkeypatch.setenv("ICTP_FILES", str(files_list(tmp_path, path)))
    err = fails(ictp, tmp_path)
    assert f"files.yml: file #1 (survey): path {path!r} lies outside the files list's folder" in err
    assert "root:" not in err  # nothing of the file is read, let alone echoed


def test_files_path_inside_a_file_root_is_allowed(ictp, catalog, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "survey.csv").write_text("Country,Year,Value\nKEN,2023,1\n", encoding="utf-8")
    monkeypatch.setenv("ICTP_FILES", str(files_list(tmp_path, str(elsewhere / "survey.csv"))))
    assert "lies outside" in fails(ictp, tmp_path)
    monkeypatch.setenv("ICTP_FILE_ROOTS", str(elsewhere))
    code, out, err = ictp("ingest", "--list-series", "--data-dir", tmp_path)
    assert code == 0, err
    assert "file:survey" in out


def test_file_name_must_be_an_identifier(ictp, catalog, tmp_path, monkeypatch):
    listed = files_list(tmp_path, "survey.csv")
    edit(listed, "name: survey", "name: ../../x")
    monkeypatch.setenv("ICTP_FILES", str(listed))
    err = fails(ictp, tmp_path)
    assert (
        "files.yml: file #1 (../../x): name: '../../x' is not valid: expected an identifier" in err
    )


def test_every_model_field_is_documented_in_docs_catalog():
    """docs/catalog.md has every key of every catalog model with its meaning, as the models
    render it (`python -m pipeline.catalog.docs` rewrites the tables)."""
    text = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    assert docs.render() in text
    for _file, models in docs.FILES:
        for model in models:
            for name, info in model.model_fields.items():
                assert info.description, f"{model.__name__}.{name} has no description"
                assert f"| `{info.alias or name}` |" in text and info.description in text
    entries = set(_all_entries(Entry)) - {m for _f, ms in docs.FILES for m in ms}
    # table rows and resolved composite specs, not YAML entries
    views = {"SeriesAtSource", "SourceClass", "IndicatorWay", "SpecEdition", "NodeAt", "Spec",
             "Edition"}  # fmt: skip
    assert {m.__name__ for m in entries} <= views


def _all_entries(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_entries(sub)
