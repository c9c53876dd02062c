"""Settings: every knob is an ICTP_* environment variable, and some are also CLI options.

Base URLs come from here so tests and the demo point the real code at a local server.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from pipeline.errors import IctpError

PROJECT_DIR = Path(__file__).resolve().parent.parent
MAX_IN_FLIGHT_LIMIT = 4  # the World Bank API answers 502 under heavier parallel load

# What a text setting must look like (the whole value), and how to say so.
MEMORY = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
URL = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~%/-]*)?")
SOURCE_ID = re.compile(r"[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?")
PATTERNS = {
    "memory_limit": (MEMORY, "a size such as 2GB, 512MiB or 1.5 GB"),
    "worldbank_url": (URL, "an http:// or https:// URL such as https://api.worldbank.org/v2"),
    "itu_url": (URL, "an http:// or https:// URL such as https://api.datahub.itu.int/v2"),
}
# Numbers: (least, greatest) allowed.
BOUNDS = {
    "http_timeout": (0.001, 3600),
    "http_retries": (0, 20),
    "http_backoff": (0, 600),
    "max_in_flight": (1, MAX_IN_FLIGHT_LIMIT),
    "per_page": (1, 100_000),
    "year_min": (1800, 2200),
    "year_max": (1800, 2200),
}
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    worldbank_url: str = "https://api.worldbank.org/v2"
    itu_url: str = "https://api.datahub.itu.int/v2"
    files: Path | None = None  # the local files list; default <catalog_dir>/files.yml
    file_roots: str = (
        ""  # folders (os.pathsep-separated) local files may lie in, besides the list's
    )
    sources: str = ""  # comma-separated source ids ingest pulls from; empty = every source
    if_changed: bool = False  # ingest: stop a paged pull after page 1 when it is unchanged
    force: bool = False  # validate, build, export: run even when their inputs are unchanged
    memory_limit: str = "2GB"  # DuckDB's working memory in validate and build; beyond it, disk
    catalog_dir: Path = PROJECT_DIR / "indicators"
    sql_dir: Path = PROJECT_DIR / "sql"
    http_timeout: float = 30.0
    http_retries: int = 5
    http_backoff: float = 1.0
    max_in_flight: int = 4
    per_page: int = 1000
    year_min: int = 1960
    year_max: int = field(default_factory=lambda: dt.date.today().year)
    synthetic: bool = False  # set by `ictp demo`: every output says its data is synthetic

    # (environment variable, meaning) for each field a user may set; the README lists these.
    ENV = {
        "data_dir": ("ICTP_DATA_DIR", "where raw/ and processed/ live"),
        "worldbank_url": ("ICTP_WORLDBANK_URL", "World Bank API v2 base URL"),
        "itu_url": ("ICTP_ITU_URL", "ITU DataHub API v2 base URL"),
        "files": ("ICTP_FILES", "the local files list (default: files.yml in the catalog)"),
        "file_roots": (
            "ICTP_FILE_ROOTS",
            "folders a local file may lie in besides its files list's folder (os.pathsep-separated)",
        ),
        "sources": ("ICTP_SOURCES", "sources ingest pulls from, comma-separated (default: all)"),
        "if_changed": ("ICTP_IF_CHANGED", "1: stop a paged download after an unchanged page 1"),
        "force": ("ICTP_FORCE", "1: validate, build and export even when nothing changed"),
        "memory_limit": ("ICTP_MEMORY_LIMIT", "DuckDB's working memory before it spills to disk"),
        "catalog_dir": ("ICTP_CATALOG_DIR", "the indicators/ catalog folder"),
        "sql_dir": ("ICTP_SQL_DIR", "the sql/ models folder"),
        "http_timeout": ("ICTP_HTTP_TIMEOUT", "seconds to wait to connect and between bytes"),
        "http_retries": ("ICTP_HTTP_RETRIES", "retries on 429/5xx, connect and read timeouts"),
        "http_backoff": ("ICTP_HTTP_BACKOFF", "first backoff in seconds, doubled on each retry"),
        "max_in_flight": ("ICTP_MAX_IN_FLIGHT", "requests in flight at once (1-4)"),
        "per_page": ("ICTP_PER_PAGE", "rows per World Bank API page"),
        "year_min": ("ICTP_YEAR_MIN", "earliest valid reference year"),
        "year_max": ("ICTP_YEAR_MAX", "latest valid reference year (default: this year)"),
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then ICTP_* variables, then explicit overrides (CLI options)."""
        env = os.environ if env is None else env
        values = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, (var, _meaning) in cls.ENV.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            values[name] = _parse(var, raw, types[name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """Every setting against its pattern or bounds; IctpError naming the first that fails."""
        for name, (pattern, shape) in PATTERNS.items():
            value = getattr(self, name)
            if not isinstance(value, str) or not pattern.fullmatch(value):
                raise IctpError(f"{self._var(name)}={value!r} is not {shape}: fix or unset it")
        for name in ("sources",):
            bad = [
                x
                for x in self.sources.split(",")
                if x.strip() and not SOURCE_ID.fullmatch(x.strip())
            ]
            if bad:
                raise IctpError(
                    f"{self._var(name)}={self.sources!r}: {bad[0]!r} is not a source id (lower-case "
                    "letters, digits and _, e.g. worldbank,itu,file): fix or unset it"
                )
        for name in ("data_dir", "files", "catalog_dir", "sql_dir"):
            value = getattr(self, name)
            if value is not None and ("\0" in str(value) or not str(value).strip()):
                raise IctpError(
                    f"{self._var(name)}={str(value)!r} is not a usable path: fix or unset it"
                )
        for name, (least, greatest) in BOUNDS.items():
            value = getattr(self, name)
            if not math.isfinite(value) or not least <= value <= greatest:
                hint = (
                    " (the World Bank API fails under heavier load)"
                    if name == "max_in_flight"
                    else ""
                )
                raise IctpError(
                    f"{self._var(name)}={value} is out of range: use {least} to {greatest}{hint}"
                )
        if self.year_min > self.year_max:
            raise IctpError(
                f"ICTP_YEAR_MIN={self.year_min} is after ICTP_YEAR_MAX={self.year_max}: fix one"
            )

    def _var(self, name: str) -> str:
        return self.ENV[name][0] if name in self.ENV else name

    @property
    def source_list(self) -> list[str] | None:
        """ICTP_SOURCES as a list, or None for every source."""
        return [x.strip() for x in self.sources.split(",") if x.strip()] or None

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    # Where things live under the data directory.
    def catalog(self):
        """The catalog these settings point at (indicators/, and the local files list)."""
        from pipeline.catalog import load_catalog

        roots = tuple(Path(x) for x in self.file_roots.split(os.pathsep) if x.strip())
        return load_catalog(self.catalog_dir, self.files, roots)

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def db_path(self) -> Path:
        return self.processed_dir / "ict.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.processed_dir / "exports"

    @property
    def tables_dir(self) -> Path:
        """validate's Parquet files: a link to their current generation (pipeline/generation.py)."""
        return self.processed_dir / "tables"

    @property
    def reports_dir(self) -> Path:
        return self.processed_dir / "reports"

    @property
    def runs_dir(self) -> Path:
        return self.processed_dir / "runs"


def _parse(var: str, raw: str, typ) -> object:
    typ = str(typ)
    try:
        if "Path" in typ:
            return Path(raw)
        if "int" in typ:
            return int(raw)
        if "float" in typ:
            return float(raw)
        if "bool" in typ:
            word = raw.strip().lower()
            if word not in TRUE + FALSE:
                raise ValueError(word)
            return word in TRUE
        return raw.rstrip("/")
    except ValueError:
        shape = {"int": "a whole number", "float": "a number", "bool": "1 or 0"}
        what = next((v for k, v in shape.items() if k in typ), typ)
        raise IctpError(f"{var}={raw!r} is not {what}: fix or unset it") from None
