"""`ictp demo`: the real pipeline against local servers of synthetic World Bank and ITU data."""

from __future__ import annotations

import contextlib

from pipeline.demo import synthetic
from pipeline.demo.itu_api import ItuAPI
from pipeline.demo.server import serve
from pipeline.demo.worldbank_api import WorldBankAPI


@contextlib.contextmanager
def serve_demo(catalog):
    """Serve the synthetic data set in the World Bank API v2 and ITU DataHub formats; yield
    {"worldbank": base URL, "itu": base URL}."""
    wb = WorldBankAPI(synthetic.economies(), synthetic.indicators())
    with serve(wb) as wb_url, serve(itu_api(catalog)) as itu_url:
        yield {"worldbank": wb_url, "itu": itu_url}


def itu_api(catalog) -> ItuAPI:
    """The synthetic data set in the ITU DataHub's form: countries, regions, series, and the
    aggregates computed from them."""
    from pipeline.demo import idi_scores

    countries, series = synthetic.itu_countries(), synthetic.itu_series(catalog)
    regions = synthetic.itu_regions()
    idi = idi_scores.publish(countries, {s.code: s.values for s in series.values()})
    return ItuAPI(
        countries,
        series,
        regions=regions,
        weights=synthetic.itu_weights(),
        idi=idi,
        idi_regions=idi_scores.publish_regions(countries, regions, idi),
    )
