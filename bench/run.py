"""make bench: the public pages under load, against the framework's floor and the machine's.

Starts gunicorn with the production settings on PostgreSQL (DEBUG off; plain HTTP on the
loopback, so SECURE_SSL_REDIRECT=0), fills a database with 1,000 published pages beside the
demo page, and drives wrk at:

  bare view         a Django view returning the condition page's bytes (same gunicorn)
  condition, warm   the page from the app cache (Redis when it answers, else local memory)
  condition, cold   the cache disabled: the live pointer, then the stored rendering
  index             /conditions/ listing every page
  search            seven visitor queries in turn, 8 clients
  nginx static      nginx serving the page's HTML as a file
  nginx cache       the page through deploy/nginx.conf (the shipped caching proxy)

and prints requests/s, p50, p99 and the ratios the issue sets. Environment: BENCH_DATABASE_URL
(a database it may create; default tovani_public_bench on the local PostgreSQL), BENCH_PAGES
(1000), BENCH_SECONDS (10 a run), BENCH_WORKERS (gunicorn sync workers, one a core) and
BENCH_REDIS_URL.
"""

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
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tovani_public_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# One sync worker a core: wrk, PostgreSQL and Redis share the same two cores.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
CLIENTS = 8
SHARED_MAX_AGE = 5  # seconds: short, so the run can watch a publish reach the proxy
HOST = "127.0.0.1"
APP, COLD_APP, NGINX_STATIC, NGINX_PROXY = 18000, 18001, 18080, 18081
SEARCHES = [
    "does ketamine help OCD",
    "6B20",
    "refractory OCD treatment",
    "obsessive compulsive disorder",
    "obsessive",
    "glutamate",
    "clomipramine",
]


def main():
    tools = _tools()
    work = Path(tempfile.mkdtemp(prefix="tovani-bench-"))
    env = _environment(work)
    processes = []
    try:
        _database(env)
        # Pages are rendered when published, with the hashed stylesheet's name: collect first.
        _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        populate = _run([sys.executable, "-m", "bench.populate", str(PAGES)], env, echo=True)
        facts = dict(re.findall(r"^(QUERIES|RENDER_MS) (.*)$", populate, re.MULTILINE))
        warm_env = {**env, "REDIS_URL": REDIS_URL} if _redis_answers() else env
        cache_name = "Redis" if "REDIS_URL" in warm_env else "local memory"
        processes.append(_gunicorn(APP, warm_env, work / "gunicorn.log"))
        processes.append(_gunicorn(COLD_APP, {**env, "BENCH_CACHE": "dummy"}, work / "cold.log"))
        page = f"/conditions/bench-condition-{PAGES // 2:04d}/"
        html = _get(f"http://{HOST}:{APP}{page}")
        (work / "static").mkdir()
        (work / "static" / "page.html").write_bytes(html)
        Path(env["BENCH_BARE_PAGE"]).write_bytes(html)
        processes.append(_nginx(tools["nginx"], work))
        api_key = (
            _run(
                [
                    sys.executable,
                    "manage.py",
                    "create_partner_key",
                    "bench",
                    "--rotate",
                    "--rate-limit",
                    "100000000",
                ],
                env,
            )
            .strip()
            .splitlines()[-1]
        )
        rows = _measure(tools["wrk"], work, page, api_key)
        visible = _publish_reaches_proxy(env, page)
        _report(rows, facts, cache_name, visible, len(html))
    finally:
        for process in reversed(processes):
            _stop(process)
        shutil.rmtree(work, ignore_errors=True)


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
        if key not in {"DEBUG", "REDIS_URL", "DATABASE_URL", "SITE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        DATABASE_URL=DATABASE_URL,
        ALLOWED_HOSTS=f"{HOST},localhost",
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
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)


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
    api_script = work / "api.lua"
    api_script.write_text(f'wrk.headers["X-API-Key"] = "{api_key}"\n')
    api_page = page.replace("/conditions/", "/api/v1/conditions/")
    app, cold = f"http://{HOST}:{APP}", f"http://{HOST}:{COLD_APP}"
    runs = [
        ("bare", "bare Django view (same bytes)", f"{app}/__bench__/bare/", None),
        ("warm", "condition page, warm", f"{app}{page}", None),
        ("cold", "condition page, cold (no app cache)", f"{cold}{page}", None),
        ("index", "index, 1,001 pages", f"{app}/conditions/", None),
        ("search", "search, 7 queries in turn", f"{app}/search/", search_script),
        ("api", "API detail (partner key)", f"{app}{api_page}", api_script),
        ("static", "nginx, static file", f"http://{HOST}:{NGINX_STATIC}/page.html", None),
        ("proxy", "nginx cache (deploy/nginx.conf)", f"http://{HOST}:{NGINX_PROXY}{page}", None),
    ]
    rows = []
    for key, label, url, script in runs:
        _wrk(wrk, url, script, seconds=2)  # warm-up: caches, connections, nginx's first fill
        print(f"  measuring {label}…", flush=True)
        rows.append({"key": key, "label": label, **_wrk(wrk, url, script, seconds=SECONDS)})
    return rows


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


def _report(rows, facts, cache_name, visible, page_bytes):
    by = {row["key"]: row for row in rows}
    print()
    print(f"{PAGES:,} generated pages + the demo page; condition page {page_bytes:,} bytes; ")
    print(f"gunicorn {WORKERS} sync workers; wrk 2 threads, {CLIENTS} connections, {SECONDS} s.")
    print()
    print("| measurement | req/s | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    for row in rows:
        failed = f" ({row['errors']} errors)" if row["errors"] else ""
        print(
            f"| {row['label']}{failed} | {row['rps']:,.0f} | {row['p50']:.2f} | {row['p99']:.2f} |"
        )
    print()
    queries = dict(item.split("=") for item in facts.get("QUERIES", "").split())
    checks = [
        ("warm ≥ 70% of bare view", by["warm"]["rps"] / by["bare"]["rps"], 0.70, "ratio"),
        ("cold ≥ 30% of bare view", by["cold"]["rps"] / by["bare"]["rps"], 0.30, "ratio"),
        ("cold SQL queries ≤ 2", int(queries.get("cold", 99)), 2, "max"),
        (
            "nginx cache ≥ 50% of nginx static",
            by["proxy"]["rps"] / by["static"]["rps"],
            0.5,
            "ratio",
        ),
        ("search p99 < 50 ms (8 clients)", by["search"]["p99"], 50, "below"),
        ("publish visible through nginx ≤ s-maxage + 1 s", visible, SHARED_MAX_AGE + 1, "below"),
    ]
    print("| check | measured | target | |")
    print("| --- | ---: | ---: | --- |")
    for name, value, target, kind in checks:
        if kind == "ratio":
            shown, goal, ok = f"{value:.0%}", f"{target:.0%}", value >= target
        elif kind == "max":
            shown, goal, ok = str(value), f"≤ {target}", value <= target
        else:
            shown, goal, ok = f"{value:.1f}", f"< {target}", value < target
        print(f"| {name} | {shown} | {goal} | {'pass' if ok else 'FAIL'} |")
    print()
    print(f"Warm cache: {cache_name}. Queries per condition page: {facts.get('QUERIES', '?')}.")
    print(
        f"Rendering the page from its document (publish time, or after a template deploy): "
        f"{facts.get('RENDER_MS', '?')} ms."
    )


def _run(command, env, echo=False) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if echo and result.stdout:
        print(result.stdout, end="", flush=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _get(url) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read()


def _redis_answers() -> bool:
    url = urlsplit(REDIS_URL)
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
