"""`ictp demo`: the real pipeline against a local server of synthetic World Bank data."""

from __future__ import annotations

import contextlib

from pipeline.demo import synthetic
from pipeline.demo.worldbank_api import WorldBankAPI, serve


@contextlib.contextmanager
def serve_demo():
    """Serve the synthetic data set in the World Bank API v2 format; yield the base URL."""
    api = WorldBankAPI(synthetic.economies(), synthetic.indicators())
    with serve(api) as url:
        yield url
