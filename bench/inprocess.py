"""What one request costs in one process, through the WSGI handler with the production stack:
the warm condition page against the warm API detail, and the SQL each makes.

Run by bench/run.py after bench.populate, with the bench's environment and the same cache:
python -m bench.inprocess SLUG API_KEY. Prints lines of KEY value for run.py to read.
"""

import io
import sys
import time

import django

# Blocks of requests, page and API in turn, so other load on the machine weighs on both alike.
BLOCKS, BLOCK = 10, 200


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

    def block(path, headers=()) -> float:
        started = time.perf_counter()
        for _ in range(BLOCK):
            call(path, headers)
        return time.perf_counter() - started

    def queries(path, headers=()):
        call(path, headers)
        with CaptureQueriesContext(connection) as captured:
            call(path, headers)
        return len(captured)

    page = f"/conditions/{slug}/"
    api = f"/api/v1/conditions/{slug}/"
    key_header = [("HTTP_X_API_KEY", key)]
    block(page), block(api, key_header)  # warm-up
    page_s = api_s = 0.0
    for _ in range(BLOCKS):
        page_s += block(page)
        api_s += block(api, key_header)
    page_us, api_us = (seconds / (BLOCKS * BLOCK) * 1e6 for seconds in (page_s, api_s))
    print(f"PAGE_US {page_us:.0f}")
    print(f"API_US {api_us:.0f}")
    print(f"API_QUERIES {queries(api, key_header)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
