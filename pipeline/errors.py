"""Errors a user can cause, and the exit codes the command line ends with."""

# Exit codes (documented in the README; cron wrappers branch on them).
OK = 0
FAILED = 1  # the command could not do its work: bad config, no data, a broken SQL model...
USAGE = 2  # bad command-line arguments (argparse)
INGEST_INCOMPLETE = 3  # some series failed to download; their last good data was kept
ROWS_QUARANTINED = 4  # the batch is usable, but some rows failed validation (see the report)
BATCH_FAILED = 5  # the batch failed table-level checks: nothing downstream was replaced
BUSY = 75  # EX_TEMPFAIL: another ictp process holds the data directory's lock; try again later
INTERRUPTED = 130  # 128 + SIGINT: stopped by Ctrl-C; data already stored is intact
TERMINATED = 143  # 128 + SIGTERM: stopped by cron, systemd or kill; data already stored is intact


class IctpError(Exception):
    """A failure the user can act on. The message says what, where, and what to do."""

    exit_code = FAILED

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class SqlFailed(IctpError):
    """DuckDB could not run a SQL file of sql/ (pipeline/sql.py): the message names the file."""


def one_line(e: BaseException | str, limit: int = 400) -> str:
    """An error's text on one line (DuckDB's and YAML's span several), at most `limit` long."""
    return " ".join(str(e).split())[:limit]
