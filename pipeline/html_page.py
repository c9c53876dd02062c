"""What ictp's static HTML pages share: the style sheet, tables and escaping.

Used by the validation report (pipeline/report.py) and the published report
(pipeline/report_page.py). Nothing here loads anything from the network.
"""

from __future__ import annotations

import html

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{padding:.25em .5em;
border-bottom:1px solid #eee;text-align:left;vertical-align:top}th{background:#f6f6f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}.ok{color:#176f2c}.bad{color:#b00020}
.warn{color:#8a5300}.status{font-size:1.2em;padding:.5em 1em;border-radius:4px;display:inline-block}
.s-ok{background:#e6f4ea}.s-quarantined{background:#fff4e0}.s-failed{background:#fde7e9}
small{color:#666}
"""


def table(header: list[str], rows: list[list], css_class: str | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    attr = f" class='{css_class}'" if css_class else ""
    return f"<table{attr}><tr>{head}</tr>{body}</table>"


def cell(v) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"<td class=n>{v:,}</td>" if isinstance(v, int) else f"<td class=n>{v:g}</td>"
    return f"<td>{escape('' if v is None else v)}</td>"


def escape(v) -> str:
    return html.escape(str(v))
