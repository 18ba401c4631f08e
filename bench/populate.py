"""Fill the bench database: the demo page and a generated library, published through the
workflow; then report what a condition page costs in SQL queries and in rendering time.

Run by bench/run.py with the bench's environment: python -m bench.populate PAGES
(BENCH_JOBS processes publish, 1 by default; at most BENCH_WORKFLOW_PAGES, 1,000 by default,
through the workflow, the others as copies: see bench/generate.py).
"""

import os
import sys
import time

import django


def main(pages: int):
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate, slug
    from conditions.demo_content import load_demo
    from conditions.models import Condition
    from conditions.pages import render_page
    from publishing.page_cache import memory_pages
    from publishing.pointers import recent_pointers
    from references.models import Reference
    from reviews.models import Publication, ReviewEvent
    from tovani import replay

    live = Publication.objects.live_of(Condition).count()
    if live < pages + 1:
        print(f"Generating {pages:,} published pages beside the demo page…", flush=True)
        started = time.monotonic()
        load_demo()
        generate(
            pages,
            jobs=int(os.environ.get("BENCH_JOBS", "1")),
            workflow_pages=int(os.environ.get("BENCH_WORKFLOW_PAGES", "1000")),
        )
        with connection.cursor() as cursor:
            # As a production database would be: statistics fresh, no autovacuum mid-run.
            cursor.execute("VACUUM ANALYZE")
        print(f"POPULATE_S {time.monotonic() - started:.0f}")
    else:
        print(f"Reusing the {live:,} live pages already in the bench database.")
    print(f"REFERENCES {Reference.objects.count()}")
    print(f"EVENTS {ReviewEvent.objects.count()}")

    url = f"/conditions/{slug(pages // 2)}/"
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(url)

    def queries(clear):
        if clear:
            cache.clear()
            memory_pages.clear()
            recent_pointers.clear()
            replay.answers.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    publication = Publication.objects.live_of(Condition).get(live__slug=slug(pages // 2))
    started, rounds = time.perf_counter(), 20
    for _ in range(rounds):
        render_page(publication)
    render_ms = (time.perf_counter() - started) / rounds * 1000
    print(f"QUERIES cold={queries(True)} warm={queries(False)}")
    print(f"RENDER_MS {render_ms:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
