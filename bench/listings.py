"""The answers that list the whole library, at the bench's size: their bytes and time.

python -m bench.listings (BENCH_PAGES as for make bench: it reads the same database, which
make bench fills; BENCH_LISTING_RUNS requests each, 10 by default). In process, through the
test client with the production settings: the index (first and last page), the sitemap, the
feed, the API list of 20 and the manifest. Each answer is asked with every application cache
emptied first (its cost when a publish has just changed the library's stamp), and then again
from the caches. A streamed answer (the manifest) is read to its end; its first byte's time is
reported too, and for each answer the peak memory allocated while one cold answer is made and
read (tracemalloc). It prints a table and
writes bench/results-listings-<pages>.json for python -m bench.growth.
"""

import base64
import io
import json
import os
import secrets
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from bench.run import DATABASE_URL, PAGES

RUNS = int(os.environ.get("BENCH_LISTING_RUNS", "10"))
OUT = Path(__file__).resolve().parent / f"results-listings-{PAGES}.json"


def main():
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        DATABASE_URL=DATABASE_URL,
        ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        SECURE_SSL_REDIRECT="0",
        # Signs nothing here (nothing is published), but the settings require one.
        SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        PAGE_CACHE_VERSION=f"listings-{int(time.time())}",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from reviews.models import LivePublication

    live = LivePublication.objects.count()
    if live < PAGES:
        sys.exit(f"{DATABASE_URL} holds {live} live pages: run make bench with this size first.")
    out = io.StringIO()
    call_command("create_partner_key", "bench-listings", "--rotate", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    last_index = -(-live // settings.INDEX_PAGE_SIZE)
    paths = [
        ("index", "/conditions/", {}),
        ("index_last", f"/conditions/?page={last_index}", {}),
        ("sitemap", "/sitemap.xml", {}),
        ("feed", "/feeds/reviewed.atom", {}),
        ("api_list", "/api/v1/conditions/?page_size=20", {"HTTP_X_API_KEY": key}),
        ("manifest", "/api/v1/manifest/", {"HTTP_X_API_KEY": key}),
    ]
    results = {"pages": PAGES, "live": live, "runs": RUNS, "rows": {}}
    print(f"{live:,} live pages; {RUNS} requests each, in process (no HTTP).")
    print(
        "| answer | bytes | cold ms (median) | cold first byte ms | warm ms (median) "
        "| peak kB (cold) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, path, headers in paths:
        row = _measure(path, headers)
        results["rows"][name] = row
        print(
            f"| {name} `{path}` | {row['bytes']:,} | {row['cold_ms']:.1f} "
            f"| {row['cold_first_byte_ms']:.1f} | {row['warm_ms']:.1f} | {row['peak_kb']:,} |"
        )
    OUT.write_text(json.dumps(results, indent=2))
    print(f"Written to {OUT.name}.")


def _measure(path, headers) -> dict:
    from django.core.cache import cache
    from django.test import Client

    from publishing.page_cache import memory_pages
    from publishing.pointers import recent_pointers

    client = Client(**headers)

    def forget():
        # The shared cache and each process's memory (the list and manifest keep their
        # answers there under the library's stamp).
        cache.clear()
        memory_pages.clear()
        recent_pointers.clear()

    def timed(clear):
        """(ms to the first byte of the body, ms to its last, its length): a streamed answer is
        read to its end, as a partner's client would."""
        if clear:
            forget()
        started = time.perf_counter()
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        if not response.streaming:
            elapsed = (time.perf_counter() - started) * 1000
            return elapsed, elapsed, len(response.content)
        chunks = iter(response)
        size = len(next(chunks, b""))
        first = (time.perf_counter() - started) * 1000
        size += sum(len(chunk) for chunk in chunks)
        return first, (time.perf_counter() - started) * 1000, size

    def peak_kb() -> int:
        """The most memory allocated at once while one cold answer is made and read."""
        tracemalloc.start()
        try:
            timed(True)
            return tracemalloc.get_traced_memory()[1] // 1024
        finally:
            tracemalloc.stop()

    size = timed(True)[2]
    cold = [timed(True) for _ in range(RUNS)]
    timed(False)
    warm = statistics.median(timed(False)[1] for _ in range(RUNS))
    return {
        "bytes": size,
        "cold_ms": statistics.median(run[1] for run in cold),
        "cold_first_byte_ms": statistics.median(run[0] for run in cold),
        "warm_ms": warm,
        "peak_kb": peak_kb(),
    }


if __name__ == "__main__":
    main()
