"""make soak: load on the page, the API and search at once, with Redis killed and restarted.

Uses make bench's database and set-up (production settings, PostgreSQL, gunicorn) with a
redis-server of its own, drives three wrk processes side by side for SOAK_SECONDS (make soak
SECONDS=600; 60 by default), and meanwhile kills Redis (SIGKILL) and starts it again twice: at
1/4 and 3/8 of the run, then at 5/8 and 3/4. It samples the gunicorn workers' resident memory
every 5 seconds and prints requests, errors (non-2xx/3xx answers and socket errors) and memory
at the start, after the first quarter and at the end. It fails when there was any error or the
workers grew by more than SOAK_GROWTH_MB (10) after the first quarter (which fills caches and
connections). In production deploy/gunicorn.conf.py replaces workers after max_requests, which
bounds any creep.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.run import (
    APP,
    HOST,
    PAGES,
    _database,
    _environment,
    _get,
    _gunicorn,
    _partner_key,
    _redis,
    _run,
    _stop,
)

SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
GROWTH_MB = float(os.environ.get("SOAK_GROWTH_MB", "10"))
SAMPLE_EVERY = 5
# When Redis is killed and when it is started again, as fractions of the run.
OUTAGES = [(1 / 4, 3 / 8), (5 / 8, 3 / 4)]


def main():
    if any(arg in {"-h", "--help"} for arg in sys.argv[1:]):
        print(__doc__.strip())
        print("\nEnvironment: SOAK_SECONDS (60), SOAK_GROWTH_MB (10), and make bench's BENCH_*.")
        return
    wrk = shutil.which("wrk") or sys.exit("make soak needs wrk (Debian package wrk).")
    shutil.which("redis-server") or sys.exit("make soak needs redis-server.")
    work = Path(tempfile.mkdtemp(prefix="tovani-soak-"))
    env = _environment(work)
    server, redis = None, {}
    try:
        redis_url, redis["process"] = _redis(work)
        env["REDIS_URL"] = redis_url
        _database(env)
        _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        _run([sys.executable, "-m", "bench.populate", str(PAGES)], env)
        key = _partner_key(env)
        server = _gunicorn(APP, env, work / "gunicorn.log")
        slug = f"bench-condition-{PAGES // 2:04d}"
        base = f"http://{HOST}:{APP}"
        _get(f"{base}/conditions/{slug}/")
        header = work / "key.lua"
        header.write_text(f'wrk.headers["X-API-Key"] = "{key}"\n')
        targets = [
            ("condition page", f"{base}/conditions/{slug}/", []),
            ("API detail", f"{base}/api/v1/conditions/{slug}/", ["-s", str(header)]),
            ("search", f"{base}/search/?q=refractory+ocd", []),
        ]
        loads = [
            subprocess.Popen(
                [wrk, "-t1", "-c3", f"-d{SECONDS}s", *extra, url], stdout=subprocess.PIPE, text=True
            )
            for _, url, extra in targets
        ]
        outages = threading.Thread(target=_outages, args=[redis, work], daemon=True)
        outages.start()
        samples = _sample_memory(server.pid, SECONDS)
        results = [_summary(load.communicate()[0]) for load in loads]
        outages.join()
        warnings = (work / "gunicorn.log").read_text()
    finally:
        if server is not None:
            _stop(server)
        if redis.get("process") is not None:
            _stop(redis["process"])
        shutil.rmtree(work, ignore_errors=True)
    _report([name for name, _, _ in targets], results, samples, warnings)


def _outages(redis, work):
    """Kill Redis and start it again on the same port, twice; redis["process"] is the live one."""
    port = redis["process"].args[redis["process"].args.index("--port") + 1]
    started = time.monotonic()
    for kill_at, restart_at in OUTAGES:
        time.sleep(max(0, started + kill_at * SECONDS - time.monotonic()))
        redis["process"].kill()
        redis["process"].wait()
        print(f"  {time.monotonic() - started:.0f} s: Redis killed", flush=True)
        time.sleep(max(0, started + restart_at * SECONDS - time.monotonic()))
        redis["process"] = subprocess.Popen(
            [shutil.which("redis-server"), "--port", port, "--bind", HOST, "--save", "",
             "--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"  {time.monotonic() - started:.0f} s: Redis started again", flush=True)


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


def _report(names, results, samples, log):
    print(
        f"\n{SECONDS} s of load, all at once, gunicorn sync workers on PostgreSQL; Redis killed "
        f"and started again twice:\n"
    )
    print("| target | requests | req/s | errors |")
    print("| --- | ---: | ---: | ---: |")
    for name, result in zip(names, results, strict=True):
        print(f"| {name} | {result['requests']:,} | {result['rps']:,.0f} | {result['errors']} |")
    quarter = next(mb for second, mb in samples if second >= SECONDS / 4)
    start, end = samples[0][1], samples[-1][1]
    print(
        f"\nworkers' memory (RSS, MB): start {start:.1f}, after {SECONDS // 4} s {quarter:.1f}, "
        f"end {end:.1f}, peak {max(mb for _, mb in samples):.1f}"
    )
    print("samples:", ", ".join(f"{second}s {mb:.1f}" for second, mb in samples))
    print(
        f"log: {log.count('shared cache is unavailable')} 'unavailable' and "
        f"{log.count('shared cache answers again')} 'answers again' lines from the workers"
    )
    errors = sum(result["errors"] for result in results)
    if errors or end - quarter > GROWTH_MB:
        sys.exit(f"FAIL: {errors} errors; memory grew {end - quarter:.1f} MB after warm-up.")
    print(f"pass: no errors; memory grew {end - quarter:.1f} MB after warm-up.")


if __name__ == "__main__":
    main()
