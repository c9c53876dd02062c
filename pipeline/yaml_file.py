"""Reading a YAML file ictp owns (the catalog, the column descriptions): one top-level mapping,
or one error naming the file and line. Light on purpose: a step that only reads YAML (export's
column descriptions) does not load the catalog's models."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.errors import IctpError, one_line

# libyaml's safe loader where PyYAML was built with it (much faster), else Python's
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict:
    """A catalog file's top-level mapping; a syntax error names the file and line."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise IctpError(f"catalog file {path} is missing (set ICTP_CATALOG_DIR?)") from None
    except yaml.YAMLError as e:
        raise IctpError(f"{path} is not valid YAML: {one_line(e, 10_000)}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise IctpError(f"{path} must hold a mapping at the top level")
    return doc
