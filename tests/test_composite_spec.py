"""Composite specs are checked strictly: a mistake names the file, the node and the key (ITU's
IDI API answers of an unexpected shape: tests/test_itu_idi.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.catalog import load_composites
from pipeline.cli import main
from pipeline.errors import IctpError

SPECS = Path(__file__).resolve().parent.parent / "indicators" / "composites"
GOOD = """
name: tiny
label: tiny
source: test
scale: {value: 100, source: t, confirmed: true}
data_year: {lag: {value: 0, source: t, confirmed: true}, window: {value: 0, source: t, confirmed: true}}
editions: {2020: {}}
nodes:
  - {code: top, label: top, aggregation: {method: arithmetic}}
  - code: x
    parent: top
    label: x
    weight: {value: 1, source: t, confirmed: true}
    input: {series: s}
    normalisation: {method: goalposts, lower: {value: 0, source: t, confirmed: false}, upper: {value: 1, source: t, confirmed: true}}
"""


def load(tmp_path, text, series=frozenset({"s"})):
    d = tmp_path / "composites"
    d.mkdir(exist_ok=True)
    (d / "tiny.yml").write_text(text, encoding="utf-8")
    return load_composites(tmp_path, set(series))


def test_the_shipped_specs_load():
    specs = {s.name: s for s in load_composites(SPECS.parent)}
    assert set(specs) >= {
        "idi2017",
        "idi2017_exact",
        "idi2023",
        "idi2024",
        "idi2025",
        "affordable_broadband",
    }
    e2011 = next(e for e in specs["idi2017"].editions if e.edition == 2011)
    mobile = next(n for n in e2011.nodes if n.code == "mobile_cellular")
    assert mobile.normalisation.reference.value == 170 and not e2011.unconfirmed()
    exact = next(n for n in specs["idi2017_exact"].editions[-1].nodes if n.code == "internet_users")
    assert exact.weight.value == pytest.approx(1 / 3)
    assert specs["idi2024"].unconfirmed() and not specs["affordable_broadband"].unconfirmed()


def test_a_good_spec_loads(tmp_path):
    (spec,) = load(tmp_path, GOOD)
    assert spec.name == "tiny" and spec.unconfirmed()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("    input: {series: s}", "    input: {series: s}\n    wieght: 2"),
            "node 'x' (edition 2020): unknown key wieght (known keys: code, parent, label, weight,",
        ),
        (
            ("weight: {value: 1,", "weight: {value: '1',"),
            "node 'x' (edition 2020): weight.value: '1' is not valid: expected a number",
        ),
        (
            ("{value: 0, source: t, confirmed: false}", "{value: 0, source: t}"),
            "node 'x' (edition 2020): lacks the key normalisation.lower.confirmed",
        ),
        (
            ("input: {series: s}", "input: {series: nope}"),
            "node 'x': key input: nope not in series.yml",
        ),
        (
            ("input: {series: s}", "input: {series: s, unavailable: why}"),
            "input needs exactly one of series, formula, unavailable",
        ),
        (("parent: top", "parent: nowhere"), "node 'x': key parent: no node 'nowhere'"),
        (
            ("name: tiny", "name: Tiny"),
            "the spec: name: 'Tiny' is not valid: expected an identifier",
        ),
        (("upper: {value: 1,", "upper: {value: -1,"), "goalposts need lower < upper"),
        (
            ("editions: {2020: {}}", "editions: {2020: {overrides: {y: {label: z}}}}"),
            "edition 2020: overrides name no node: y",
        ),
        (
            ("aggregation: {method: arithmetic}", "aggregation: {method: geometric}"),
            "aggregation geometric needs floor",
        ),
    ],
)
def test_a_mistake_names_file_node_and_key(tmp_path, change, message):
    with pytest.raises(IctpError) as e:
        load(tmp_path, GOOD.replace(*change))
    assert str(tmp_path / "composites" / "tiny.yml") in str(e.value)
    assert message in str(e.value)


def test_extends_cycles_and_missing_bases_fail(tmp_path):
    d = tmp_path / "composites"
    d.mkdir()
    (d / "a.yml").write_text("name: a\nlabel: a\nsource: t\nextends: b\n", encoding="utf-8")
    (d / "b.yml").write_text("name: b\nlabel: b\nsource: t\nextends: a\n", encoding="utf-8")
    with pytest.raises(IctpError, match="cycle"):
        load_composites(tmp_path, set())
    (d / "b.yml").unlink()
    with pytest.raises(IctpError, match="extends 'b', but no spec"):
        load_composites(tmp_path, set())


def test_a_bad_spec_fails_the_build_with_its_name(tmp_path, monkeypatch, capsys):
    catalog = tmp_path / "catalog"
    shutil.copytree(SPECS.parent, catalog)
    (catalog / "composites" / "broken.yml").write_text(
        GOOD.replace("name: tiny", "name: broken").replace(
            "input: {series: s}", "input: {series: nope}"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("ICTP_CATALOG_DIR", str(catalog))
    assert main(["composite", "list"]) == 1
    err = capsys.readouterr().err
    assert "broken.yml: node 'x': key input: nope not in series.yml" in err


def test_show_on_a_database_that_predates_composites_fails_clearly(tmp_path, capsys):
    import duckdb

    (tmp_path / "processed").mkdir()
    duckdb.connect(str(tmp_path / "processed" / "ict.duckdb")).close()
    assert main(["composite", "show", "idi2024", "--data-dir", str(tmp_path)]) == 1
    assert "predates them; run `ictp build`" in capsys.readouterr().err
    assert main(["composite", "show", "idi2024", "--data-dir", str(tmp_path / "none")]) == 1
    assert "no database at" in capsys.readouterr().err
