"""make bench: the public pages and the partner API under load, against the framework's floor.

Starts gunicorn with the production settings on PostgreSQL (DEBUG off; plain HTTP on the
loopback, so SECURE_SSL_REDIRECT=0) and a redis-server of its own, fills a database with
BENCH_PAGES published pages beside the demo page, and drives wrk (2 threads, 8 connections) at:

  bare view          a Django view returning the condition page's bytes (same gunicorn)
  condition, warm    the page given again (tovani/replay.py) while its live pointer, read as
                     the view reads it, still names it
  condition, cold    every application cache off (no answers kept, no process memory, no
                     Redis): the live pointer and its stored rendering read on each request
  index              /conditions/ listing every page
  search             seven visitor queries in turn
  API detail         a whole page as JSON, with a partner key
  API list of 20     /api/v1/conditions/?page_size=20, with a partner key
  API 304            the detail revalidated with If-None-Match
  nginx static       nginx serving the page's HTML as a file
  nginx cache        the page through deploy/nginx.conf (the shipped caching proxy)
  varnish cache      the page through deploy/varnish.vcl, in turn with nginx static (its ratio
                     is to nginx static beside it; not measured where varnishd is not installed)

It prints each row with its ratio to the bare view and whether its target is met, then the
checks that are not rates (SQL queries, one process's cost per request, search latency, a
publish reaching the proxy). It exits with status 1 when a target is not met in a full-size run
(BENCH_PAGES >= 1000 and BENCH_SECONDS >= 10); smaller runs only report.

Environment (all optional):
  BENCH_PAGES         generated pages beside the demo page (1000); each has 20 references and
                      10 review events (10000: 200,000 and 100,000). At most 1,000 pages are
                      published through the workflow, the rest as copies (bench/copies.py)
  BENCH_SECONDS       seconds of each measurement, after a 2-second warm-up (10); each row
                      runs in 3 slices alternating with slices of the bare view, and its ratio
                      is to the bare view measured beside it, so other load on the machine
                      weighs on both alike
  BENCH_WORKERS       gunicorn sync workers (one a core)
  BENCH_DATABASE_URL  a PostgreSQL database it may create and fill, reused by the next run of
                      the same size (postgres://postgres@127.0.0.1:5432/tovani_public_bench,
                      tovani_public_bench_<pages> for another size)
  BENCH_JOBS          processes publishing through the workflow while filling it (1)

Each run writes its rows to bench/results-<pages>.json; python -m bench.growth prints how each
row changed between two sizes.
  BENCH_PORT          first port to try for its servers; each is the next free one (18000)
  BENCH_REDIS_URL     a Redis to use when redis-server is not installed
                      (redis://127.0.0.1:6379/9: database 9 of the local server, and no other).
                      With redis-server installed the run starts its own on a free port.
"""

import base64
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
# One database a size, so a 10,000-page library does not replace the 1,000-page one.
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/tovani_public_bench"
    + ("" if PAGES == 1000 else f"_{PAGES}"),
)
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# One sync worker a core: wrk, PostgreSQL and Redis share the same cores.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
FIRST_PORT = int(os.environ.get("BENCH_PORT", "18000"))
FULL_SIZE = PAGES >= 1000 and SECONDS >= 10
CLIENTS = 8
# Each row alternates with the bare view this many times (see _paired).
SLICES = 3
SHARED_MAX_AGE = 5  # seconds: short, so the run can watch a publish reach the proxy
HOST = "127.0.0.1"
SEARCHES = [
    "does ketamine help OCD",
    "6B20",
    "refractory OCD treatment",
    "obsessive compulsive disorder",
    "obsessive",
    "glutamate",
    "clomipramine",
]


def free_port(start: int = FIRST_PORT, taken=set()) -> int:  # noqa: B006 - shared on purpose
    """The first port from start that nothing listens on and this run has not taken."""
    port = start
    while True:
        if port not in taken:
            with socket.socket() as s:
                try:
                    s.bind((HOST, port))
                except OSError:
                    pass
                else:
                    taken.add(port)
                    return port
        port += 1


APP, COLD_APP, NGINX_STATIC, NGINX_PROXY = (free_port() for _ in range(4))

# Ratios to the bare view each row must reach: (row, target).
TARGETS = {
    "warm": 0.95,
    "cold": 0.60,
    "api": 0.85,
    "api_list": 0.75,
    "api_304": 0.60,
    # Relative to nginx serving the same bytes as a file, measured beside it (_varnish_row).
    "varnish": 0.50,
}


def main():
    if any(arg in {"-h", "--help"} for arg in sys.argv[1:]):
        print(__doc__)
        return
    tools = _tools()
    work = Path(tempfile.mkdtemp(prefix="tovani-bench-"))
    env = _environment(work)
    processes = []
    try:
        redis_url, redis = _redis(work)
        if redis is not None:
            processes.append(redis)
        _database(env)
        # Pages are rendered when published, with the hashed stylesheet's name: collect first.
        _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        populate = _run([sys.executable, "-m", "bench.populate", str(PAGES)], env, echo=True)
        facts = dict(re.findall(r"^([A-Z_]+) (.*)$", populate, re.MULTILINE))
        warm_env = {**env, "REDIS_URL": redis_url}
        processes.append(_gunicorn(APP, warm_env, work / "gunicorn.log"))
        processes.append(_gunicorn(COLD_APP, {**env, "BENCH_CACHE": "dummy"}, work / "cold.log"))
        slug = f"bench-condition-{PAGES // 2:04d}"
        page = f"/conditions/{slug}/"
        html = _get(f"http://{HOST}:{APP}{page}")
        (work / "static").mkdir()
        (work / "static" / "page.html").write_bytes(html)
        Path(env["BENCH_BARE_PAGE"]).write_bytes(html)
        processes.append(_nginx(tools["nginx"], work))
        api_key = _partner_key(warm_env)
        inprocess = _run([sys.executable, "-m", "bench.inprocess", slug, api_key], warm_env)
        facts.update(re.findall(r"^([A-Z_]+) (.*)$", inprocess, re.MULTILINE))
        rows = _measure(tools["wrk"], work, page, api_key)
        rows.append(_varnish_row(tools["wrk"], work, page))
        visible = _publish_reaches_proxy(env, page)
        met = _report(rows, facts, visible, len(html))
        _save(rows, facts, visible, len(html))
    finally:
        for process in reversed(processes):
            _stop(process)
        shutil.rmtree(work, ignore_errors=True)
    if not met and FULL_SIZE:
        sys.exit(1)


def _redis(work: Path):
    """A redis-server of this run's own on a free port, or BENCH_REDIS_URL when none is
    installed; returns its URL and the process to stop (or None)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if not _redis_answers(REDIS_URL):
            sys.exit(f"make bench needs redis-server, or a Redis answering at {REDIS_URL}.")
        return REDIS_URL, None
    port = free_port(FIRST_PORT + 100)
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
         "--dir", str(work)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for_port(port, process)
    return f"redis://{HOST}:{port}/0", process


def _partner_key(env) -> str:
    command = [sys.executable, "manage.py", "create_partner_key", "bench", "--rotate"]
    output = _run([*command, "--rate-limit", "100000000"], env)
    return output.strip().splitlines()[-1]


def _tools():
    tools = {"wrk": shutil.which("wrk"), "nginx": shutil.which("nginx") or "/usr/sbin/nginx"}
    if not Path(tools["nginx"]).exists() and os.geteuid() == 0:
        print("Installing Debian's nginx…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "nginx"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
    missing = [name for name, path in tools.items() if not path or not Path(path).exists()]
    if missing:
        sys.exit(f"make bench needs {', '.join(missing)} (Debian packages wrk and nginx).")
    return tools


def _environment(work: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DATABASE_URL", "SITE_URL", "SIGNING_KEY_FILE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        # A signing key for this run only: publications are signed at publish.
        SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        DATABASE_URL=DATABASE_URL,
        ALLOWED_HOSTS=f"{HOST},localhost",
        # Production settings refuse to start without the site's public address.
        SITE_URL=f"http://{HOST}",
        SECURE_SSL_REDIRECT="0",
        PAGE_MAX_AGE=str(SHARED_MAX_AGE),
        PAGE_SHARED_MAX_AGE=str(SHARED_MAX_AGE),
        # A fresh cache namespace for this run, whatever an earlier run left in Redis.
        PAGE_CACHE_VERSION=f"bench-{int(time.time())}",
        BENCH_BARE_PAGE=str(work / "bare.html"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _database(env):
    import psycopg

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is not None and 0 < _pages_in(DATABASE_URL) < PAGES + 1:
            # Filled by a smaller run: generated pages cannot be added to, so start again.
            print(f"{name} holds fewer pages than asked: creating it again.", flush=True)
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)


def _pages_in(url) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        table = connection.execute("SELECT to_regclass('reviews_livepublication')").fetchone()[0]
        if table is None:
            return 0
        return connection.execute("SELECT count(*) FROM reviews_livepublication").fetchone()[0]


def _gunicorn(port, env, log):
    command = [
        str(BIN / "gunicorn"),
        "bench.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    _wait_for_port(port, process)
    return process


def _nginx(binary, work: Path):
    deploy = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "proxy_cache_path /var/cache/nginx/tovani": f"proxy_cache_path {work}/cache",
        "server 127.0.0.1:8000;": f"server {HOST}:{APP};",
        "listen 80;": f"listen {HOST}:{NGINX_PROXY};",
    }
    for old, new in replacements.items():
        assert old in deploy, f"deploy/nginx.conf no longer contains {old!r}"
        deploy = deploy.replace(old, new)
    (work / "tovani.conf").write_text(deploy)
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""{user}
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {work}/client;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen {HOST}:{NGINX_STATIC};
        root {work}/static;
        default_type text/html;
    }}
    include {work}/tovani.conf;
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(work / "nginx-stderr.log").open("wb"),
    )
    _wait_for_port(NGINX_PROXY, process)
    return process


def _measure(wrk, work: Path, page: str, api_key: str) -> list[dict]:
    search_script = work / "search.lua"
    paths = ", ".join(f'"/search/?q={query.replace(" ", "+")}"' for query in SEARCHES)
    search_script.write_text(
        f"local paths = {{{paths}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )
    api_page = page.replace("/conditions/", "/api/v1/conditions/")
    app, cold = f"http://{HOST}:{APP}", f"http://{HOST}:{COLD_APP}"
    api_script = work / "api.lua"
    api_script.write_text(f'wrk.headers["X-API-Key"] = "{api_key}"\n')
    etag = _etag(f"{app}{api_page}", api_key)
    revalidate = work / "revalidate.lua"
    revalidate.write_text(
        f'wrk.headers["X-API-Key"] = "{api_key}"\nwrk.headers["If-None-Match"] = \'{etag}\'\n'
    )
    live = _live_pages()
    runs = [
        ("bare", "bare Django view (same bytes)", f"{app}/__bench__/bare/", None),
        ("warm", "condition page, warm", f"{app}{page}", None),
        ("cold", "condition page, cold (no app cache)", f"{cold}{page}", None),
        ("index", f"index, {live:,} pages", f"{app}/conditions/", None),
        ("search", f"search, {len(SEARCHES)} queries in turn", f"{app}/search/", search_script),
        ("api", "API detail (partner key)", f"{app}{api_page}", api_script),
        ("api_list", "API list of 20 (partner key)", f"{app}/api/v1/conditions/?page_size=20",
         api_script),
        ("api_304", "API detail, 304 revalidation", f"{app}{api_page}", revalidate),
        ("static", "nginx, static file", f"http://{HOST}:{NGINX_STATIC}/page.html", None),
        ("proxy", "nginx cache (deploy/nginx.conf)", f"http://{HOST}:{NGINX_PROXY}{page}", None),
    ]  # fmt: skip
    bare, rows = runs[0], []
    for key, label, url, script in runs[1:]:
        _wrk(wrk, url, script, seconds=2)  # warm-up: caches, connections, nginx's first fill
        print(f"  measuring {label}, in turn with the bare view…", flush=True)
        rows.append({"key": key, "label": label, **_paired(wrk, bare, (url, script))})
    # The bare view's row: every slice it ran, beside every other row.
    slices = [s for row in rows for s in row.pop("bare_slices")]
    return [{"key": "bare", "label": bare[1], **_combined(slices)}, *rows]


def _varnish_row(wrk, work: Path, page: str) -> dict:
    """deploy/varnish.vcl in front of the bench's gunicorn, in turn with nginx's static file:
    the row's ratio is to nginx static beside it. Every request must be an X-Cache: HIT.
    Where varnishd is not installed the row is reported as not measured."""
    label = "varnish cache (deploy/varnish.vcl), of nginx static beside it"
    binary = shutil.which("varnishd") or next(
        (path for path in ["/usr/sbin/varnishd"] if Path(path).exists()), None
    )
    if binary is None:
        return {"key": "varnish", "label": label, "skipped": "varnishd not installed"}
    port = free_port()
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    for old in ('.port = "8001";', '.port = "8002";'):
        assert old in vcl, f"deploy/varnish.vcl no longer contains {old!r}"
        vcl = vcl.replace(old, f'.port = "{APP}";')  # both nodes: the one gunicorn
    state = work / "varnish"
    state.mkdir()
    # varnishd's worker process runs as its own user: it must reach its working directory.
    os.chmod(work, 0o711)  # noqa: S103 - traversal only; the files inside stay private
    os.chmod(state, 0o777)  # noqa: S103 - varnishd writes here as its own user
    (state / "bench.vcl").write_text(vcl)
    command = [binary, "-F", "-n", str(state), "-a", f"{HOST}:{port}"]
    command += ["-f", str(state / "bench.vcl"), "-s", "malloc,64m"]
    process = subprocess.Popen(
        command, stdout=(work / "varnish.log").open("wb"), stderr=subprocess.STDOUT
    )
    try:
        _wait_for_port(port, process)
        url = f"http://{HOST}:{port}{page}"
        _wait_for_hit(url)
        _wrk(wrk, url, None, seconds=2)  # warm-up, as the other rows
        print(f"  measuring {label}…", flush=True)
        static = ("static", "", f"http://{HOST}:{NGINX_STATIC}/page.html", None)
        row = _paired(wrk, static, (url, None))
        row.pop("bare_slices")
        hit = _x_cache(url) == "HIT"
    finally:
        _stop(process)
    if not hit:
        row["errors"] = row["errors"] or 1
        label += " (no X-Cache: HIT)"
    return {"key": "varnish", "label": label, **row}


def _x_cache(url) -> str | None:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        response.read()
        return response.headers.get("X-Cache")


def _wait_for_hit(url, timeout=30):
    """Varnish answers 503 until its health probe finds the backend; then a second GET hits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _x_cache(url) == "HIT":
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"Varnish never answered {url} from its cache (X-Cache: HIT) within {timeout} s.")


def _paired(wrk, bare, target) -> dict:
    """The target and the bare view in alternating slices of BENCH_SECONDS / SLICES each, so a
    machine whose other load comes and goes weighs on both alike; the target's ratio is to the
    bare view measured beside it."""
    seconds = max(1, SECONDS // SLICES)
    bare_slices, target_slices = [], []
    for _ in range(SLICES):
        bare_slices.append(_wrk(wrk, bare[2], bare[3], seconds=seconds))
        target_slices.append(_wrk(wrk, *target, seconds=seconds))
    row = _combined(target_slices)
    row["beside"] = _combined(bare_slices)["rps"]
    row["bare_slices"] = bare_slices
    return row


def _combined(slices) -> dict:
    return {
        "rps": sum(s["rps"] for s in slices) / len(slices),
        "p50": sorted(s["p50"] for s in slices)[len(slices) // 2],
        "p99": max(s["p99"] for s in slices),
        "errors": sum(s["errors"] for s in slices),
    }


def _etag(url, key) -> str:
    request = urllib.request.Request(url, headers={"X-API-Key": key})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.headers["ETag"]


def _live_pages() -> int:
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        return connection.execute("SELECT count(*) FROM reviews_livepublication").fetchone()[0]


def _wrk(wrk, url, script, seconds) -> dict:
    command = [wrk, "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _publish_reaches_proxy(env, page) -> float:
    """Publish a new version of the page, then time until the proxy serves it."""
    marker = f"Revised for the bench at {int(time.time())}."
    _run([sys.executable, "-m", "bench.republish", page.strip("/").split("/")[-1], marker], env)
    started = time.monotonic()
    while time.monotonic() - started < SHARED_MAX_AGE * 4:
        if marker.encode() in _get(f"http://{HOST}:{NGINX_PROXY}{page}"):
            return time.monotonic() - started
        time.sleep(0.25)
    return float("inf")


def _report(rows, facts, visible, page_bytes) -> bool:
    """Print the tables; True when every target is met."""
    by = {row["key"]: row for row in rows}
    bare = by["bare"]["rps"]
    print()
    print(
        f"{_live_pages():,} live pages ({PAGES:,} generated + the demo page); condition page "
        f"{page_bytes:,} bytes; gunicorn {WORKERS} sync workers; wrk 2 threads, {CLIENTS} "
        f"connections, {SECONDS} s a row; cache: a redis-server of the run's own."
    )
    print()
    print("| measurement | req/s | p50 ms | p99 ms | of bare view beside it | target | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    met = True
    for row in rows:
        if "skipped" in row:
            target = TARGETS.get(row["key"])
            goal = f"≥ {target:.0%}" if target is not None else ""
            reason = f"not measured: {row['skipped']}"
            print(f"| {row['label']} | {reason} | | | | {goal} | not measured |")
            continue
        failed = f" ({row['errors']} errors)" if row["errors"] else ""
        ratio = row["rps"] / row.get("beside", bare)
        target = TARGETS.get(row["key"])
        verdict = ""
        if target is not None:
            ok = ratio >= target and not row["errors"]
            met &= ok
            verdict = "met" if ok else "NOT MET"
        goal = f"≥ {target:.0%}" if target is not None else ""
        print(
            f"| {row['label']}{failed} | {row['rps']:,.0f} | {row['p50']:.2f} | "
            f"{row['p99']:.2f} | {ratio:.0%} | {goal} | {verdict} |"
        )
    print()
    queries = dict(item.split("=") for item in facts.get("QUERIES", "").split())
    page_us, api_us = float(facts.get("PAGE_US", "inf")), float(facts.get("API_US", "inf"))
    checks = [
        ("page, cold: SQL queries", int(queries.get("cold", 99)), 1, "max"),
        ("page, warm: SQL queries", int(queries.get("warm", 99)), 0, "max"),
        ("API detail, warm: SQL queries", int(facts.get("API_QUERIES", 99)), 1, "max"),
        ("one process: API detail ÷ warm page", api_us / page_us, 2.0, "max"),
        ("nginx cache ÷ nginx static", by["proxy"]["rps"] / by["static"]["rps"], 0.5, "ratio"),
        ("search p99 ms (8 clients)", by["search"]["p99"], 50, "below"),
        ("publish visible through nginx, s", visible, SHARED_MAX_AGE + 1, "below"),
    ]
    print("| check | measured | target | |")
    print("| --- | ---: | ---: | --- |")
    for name, value, target, kind in checks:
        if kind == "ratio":
            shown, goal, ok = f"{value:.0%}", f"≥ {target:.0%}", value >= target
        elif kind == "max":
            shown, goal, ok = f"{round(value, 2):g}", f"≤ {target:g}", value <= target
        else:
            shown, goal, ok = f"{value:.1f}", f"< {target}", value < target
        met &= ok
        print(f"| {name} | {shown} | {goal} | {'met' if ok else 'NOT MET'} |")
    print()
    print(
        f"One process, through the WSGI handler: warm page {page_us:.0f} µs, API detail "
        f"{api_us:.0f} µs a request. Rendering the page from its document (at publish, or "
        f"after a template deploy): {facts.get('RENDER_MS', '?')} ms."
    )
    scope = "full-size run" if FULL_SIZE else "short run: the exit status ignores targets"
    print(f"{'Every target met' if met else 'A target is NOT MET'} ({scope}).")
    return met


def _save(rows, facts, visible, page_bytes):
    """bench/results-<pages>.json: this run's rows and checks, for python -m bench.growth."""
    import json

    result = {
        "pages": PAGES,
        "live": _live_pages(),
        "seconds": SECONDS,
        "workers": WORKERS,
        "page_bytes": page_bytes,
        "publish_visible_s": visible,
        "facts": facts,
        "rows": {row["key"]: row for row in rows},
    }
    path = ROOT / "bench" / f"results-{PAGES}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"Results written to bench/{path.name} (python -m bench.growth compares the sizes).")


def _run(command, env, echo=False) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if echo and result.stdout:
        print(result.stdout, end="", flush=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _get(url) -> bytes:
    # Generous: a worker booting on a busy machine may take a while to answer its first request.
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback only
        return response.read()


def _redis_answers(address: str) -> bool:
    url = urlsplit(address)
    try:
        with socket.create_connection((url.hostname, url.port or 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"A server for port {port} exited at start (code {process.returncode}).")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"Nothing answered on port {port} within {timeout} s.")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
