"""make soak: a minute of load on the public page and the partner API at once.

Uses make bench's database and set-up (production settings, PostgreSQL, Redis when it answers,
gunicorn), drives two wrk processes side by side for SOAK_SECONDS (60), and samples the
gunicorn workers' resident memory every 5 seconds. It prints requests, errors (non-2xx/3xx
answers and socket errors) and memory at the start, after the first quarter and at the end,
and fails when there was any error or the workers grew by more than SOAK_GROWTH_MB (10) after
the first quarter (the first quarter fills caches and connections). In production
deploy/gunicorn.conf.py replaces workers after max_requests, which bounds any creep.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import (
    APP,
    HOST,
    PAGES,
    REDIS_URL,
    _database,
    _environment,
    _get,
    _gunicorn,
    _redis_answers,
    _run,
    _stop,
)

SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
GROWTH_MB = float(os.environ.get("SOAK_GROWTH_MB", "10"))
SAMPLE_EVERY = 5


def main():
    wrk = shutil.which("wrk") or sys.exit("make soak needs wrk (Debian package wrk).")
    work = Path(tempfile.mkdtemp(prefix="tovani-soak-"))
    env = _environment(work)
    if _redis_answers():
        env["REDIS_URL"] = REDIS_URL
    server = None
    try:
        _database(env)
        _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        _run([sys.executable, "-m", "bench.populate", str(PAGES)], env)
        key = _run(
            [sys.executable, "manage.py", "create_partner_key", "soak", "--rotate",
             "--rate-limit", "100000000"],
            env,
        ).strip().splitlines()[-1]  # fmt: skip
        server = _gunicorn(APP, env, work / "gunicorn.log")
        slug = f"bench-condition-{PAGES // 2:04d}"
        page = f"http://{HOST}:{APP}/conditions/{slug}/"
        api = f"http://{HOST}:{APP}/api/v1/conditions/{slug}/"
        _get(page)
        header = work / "key.lua"
        header.write_text(f'wrk.headers["X-API-Key"] = "{key}"\n')
        loads = [
            subprocess.Popen(
                [wrk, "-t1", "-c4", f"-d{SECONDS}s", *extra, url],
                stdout=subprocess.PIPE,
                text=True,
            )
            for url, extra in [(page, []), (api, ["-s", str(header)])]
        ]
        samples = _sample_memory(server.pid, SECONDS)
        results = [_summary(load.communicate()[0]) for load in loads]
    finally:
        if server is not None:
            _stop(server)
        shutil.rmtree(work, ignore_errors=True)
    _report(results, samples)


def _sample_memory(master_pid, seconds):
    samples = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        samples.append((round(time.monotonic() - started), _workers_rss_mb(master_pid)))
        time.sleep(SAMPLE_EVERY)
    samples.append((seconds, _workers_rss_mb(master_pid)))
    return samples


def _workers_rss_mb(master_pid) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total_kb = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total_kb += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))
    return total_kb / 1024


def _summary(output) -> dict:
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket.groups()) if socket else 0),
    }


def _report(results, samples):
    print(f"{SECONDS} s of load, both at once, gunicorn sync workers on PostgreSQL:\n")
    print("| target | requests | req/s | errors |")
    print("| --- | ---: | ---: | ---: |")
    for name, result in zip(["condition page", "API detail"], results, strict=True):
        print(f"| {name} | {result['requests']:,} | {result['rps']:,.0f} | {result['errors']} |")
    quarter = next(mb for second, mb in samples if second >= SECONDS / 4)
    start, end = samples[0][1], samples[-1][1]
    print(
        f"\nworkers' memory (RSS, MB): start {start:.1f}, after {SECONDS // 4} s {quarter:.1f}, "
        f"end {end:.1f}, peak {max(mb for _, mb in samples):.1f}"
    )
    print("samples:", ", ".join(f"{second}s {mb:.1f}" for second, mb in samples))
    errors = sum(result["errors"] for result in results)
    if errors or end - quarter > GROWTH_MB:
        sys.exit(f"FAIL: {errors} errors; memory grew {end - quarter:.1f} MB after warm-up.")
    print(f"pass: no errors; memory grew {end - quarter:.1f} MB after warm-up.")


if __name__ == "__main__":
    main()
