"""The ictp benchmark: every stage timed at real and large scale, against baselines, in one run.

python -m bench            real data + 1M, 5M and 20M rows (make bench)
python -m bench --quick    1M rows only (make bench-quick)

datasets.py        the real WDI data and deterministic scale-ups, as pre-rendered API pages
server.py          those pages served as the World Bank API v2 from 127.0.0.1
measure.py         one child process: wall time, peak RSS (wait4), an RSS cap
stages.py          the pipeline through its CLI, stage by stage; checks; `ictp query`
floors.py          DuckDB alone and a plain HTTP download: the least each stage needs
pandas_baseline.py the same jobs as an analyst would write them in json + pandas
profile.py         the build's slowest models, and DuckDB's profile of the slowest
composites.py      the composites' build share and 1,000 uncertainty runs
run.py             the order of a run; report.py the table and the JSON
"""
