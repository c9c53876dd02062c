"""A local HTTP server for the API stand-ins (demo, tests, benchmark): 127.0.0.1, never the network."""

from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

JSON = {"Content-Type": "application/json;charset=utf-8"}


def dumps(doc) -> bytes:
    """Compact JSON, as the APIs send it."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@contextlib.contextmanager
def serve(api, keep_alive: bool = False):
    """Serve `api` (anything with `handle(path, query) -> (status, headers, body)`) on
    127.0.0.1 (a free port) in a background thread; yield the v2 base URL.

    HTTP/1.0 (one connection per request) unless `keep_alive`: HTTP/1.1 as the real APIs speak
    it, connections reused (the benchmark's ingest; fault tests need the close after each body).
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def do_GET(self):  # noqa: N802 (the http.server API)
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            status, headers, body = api.handle(url.path, query)
            self.send_response(status)
            headers = {"Content-Length": str(len(body)), **headers}
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet: the client logs what matters
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2"
    finally:
        server.shutdown()
        server.server_close()
