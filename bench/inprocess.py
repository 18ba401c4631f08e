"""What one request costs in one process, through the WSGI handler with the production stack:
the warm condition page against the warm API detail, and the SQL each makes.

Run by bench/run.py after bench.populate, with the bench's environment and the same cache:
python -m bench.inprocess SLUG API_KEY. Prints lines of KEY value for run.py to read.
"""

import io
import sys
import time

import django

ROUNDS = 2000


def main(slug: str, key: str):
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.wsgi import application

    def call(path, headers=()):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            **dict(headers),
        }
        status = []
        body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
        assert status[0].startswith("200"), (path, status, body[:200])

    def cost(path, headers=()):
        for _ in range(50):
            call(path, headers)
        started = time.perf_counter()
        for _ in range(ROUNDS):
            call(path, headers)
        return (time.perf_counter() - started) / ROUNDS * 1e6

    def queries(path, headers=()):
        call(path, headers)
        with CaptureQueriesContext(connection) as captured:
            call(path, headers)
        return len(captured)

    page = f"/conditions/{slug}/"
    api = f"/api/v1/conditions/{slug}/"
    key_header = [("HTTP_X_API_KEY", key)]
    page_us, api_us = cost(page), cost(api, key_header)
    print(f"PAGE_US {page_us:.0f}")
    print(f"API_US {api_us:.0f}")
    print(f"API_QUERIES {queries(api, key_header)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
