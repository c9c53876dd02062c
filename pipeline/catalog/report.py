"""report.yml: what the published report (reports/index.html, pipeline/publish_report.py)
shows. No statistics: the headline indicators it charts, the group types of their panels, and
how many economies of each composite ranking it lists."""

from __future__ import annotations

from pathlib import Path

from pipeline.catalog.base import Entry, Identifier, field, validate
from pipeline.yaml_file import read_yaml


class Headline(Entry):
    """One chart of the headline trends: an indicator's groups, ours beside the providers'."""

    indicator: str = field("a Core List indicator id (core.yml)")
    title: str = field("the chart's title, before the indicator's name")


class ReportFile(Entry):
    """report.yml."""

    headline: list[Headline] = field("the indicators whose trends the report charts, in order")
    group_types: list[Identifier] = field(
        "one panel per group type in each chart (economies/groups.yml)"
    )
    ranking_rows: int = field("economies listed of each composite's latest ranking", gt=0)


def load_report(path: Path) -> ReportFile:
    """report.yml, validated (a bad entry names the file and key)."""
    return validate(ReportFile, read_yaml(path), path, "report")
