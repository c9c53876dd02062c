"""The catalog (indicators/*.yml): what to pull, what it means, which values are possible.

Each kind of entry is declared once, as a strict pydantic model (one module each): the model
validates the YAML (a bad entry names its file, entry and key), is the Python object the
steps read, and gives the DuckDB `input.*` table SQL joins to (tables.py derives the column
types from the model's annotations), so SQL never pastes catalog values into its text.

    sources.py        sources.yml: licence, attribution, commercial use, aggregate classes,
                      precedence and the disagreement tolerance
    series.py         series.yml: kinds (bounds), validation defaults, series and their codes
    files.py          files.yml: local CSV/XLSX drops read by the `file` source
    economies.py      economies/map.yml (codes that differ between sources, codes kept) and
                      economies/groups.yml (the groups aggregates are computed for)
    corrections.py    corrections.yml: known upstream errors
    core.py           core.yml: the Core List indicators, the ways each is obtained, settings
    composites.py     composites/*.yml: composite-index specs (nodes, weights, goalposts,
                      editions, extends), load_composites() / load_composites_into(con)
    report.py         report.yml: what the published report shows (read by publish_report)
    load.py           read them all: load_catalog() -> Catalog, Catalog.load_into(con)
    tables.py         a model as a DuckDB table

A new entry type is a new module here with its models and Table,
read by load.py (or by its own load_*_into, like core.py) and documented in docs/catalog.md.
"""

from pipeline.catalog.composites import Spec, load_composites, load_composites_into
from pipeline.catalog.core import load_core, load_core_into
from pipeline.catalog.corrections import Correction
from pipeline.catalog.economies import EconomyMap
from pipeline.catalog.files import ITU_CSV_COLUMNS, FileSpec
from pipeline.catalog.load import Catalog, load_catalog
from pipeline.catalog.series import Kind, Series, SourceCode
from pipeline.catalog.sources import FILE_PREFIX, AggregateClass, Source
from pipeline.catalog.tables import Table, create_table, duckdb_type
from pipeline.yaml_file import SAFE_LOADER, read_yaml

__all__ = [
    "FILE_PREFIX",
    "ITU_CSV_COLUMNS",
    "SAFE_LOADER",
    "AggregateClass",
    "Catalog",
    "Correction",
    "EconomyMap",
    "FileSpec",
    "Kind",
    "Series",
    "Source",
    "SourceCode",
    "Spec",
    "Table",
    "create_table",
    "duckdb_type",
    "load_catalog",
    "load_composites",
    "load_composites_into",
    "load_core",
    "load_core_into",
    "read_yaml",
]
