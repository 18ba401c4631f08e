"""The shipped deploy/nginx.conf, run by a test in front of the live server."""

import contextlib
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from tests.system_tools import free_port, require, wait_for_port

DEPLOY_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
PURGE_CONF = DEPLOY_CONF.with_name("nginx-purge.conf")
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"


@contextlib.contextmanager
def nginx_in_front_of(
    app_url: str, access_log: Path | None = None, *, purge_port: int | None = None
):
    """nginx with deploy/nginx.conf, changing only its addresses, cache path and access log
    (to access_log, or a file of its own); yields its port.

    With purge_port, deploy/nginx-purge.conf too, listening there, with the cache-purge module.
    """
    binary = require("nginx", "nginx", also=("/usr/sbin/nginx",))
    app = urlsplit(app_url)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tovani-nginx-") as work:
        _write_config(Path(work), f"{app.hostname}:{app.port}", port, access_log, purge_port)
        process = subprocess.Popen(
            [binary, "-p", work, "-c", f"{work}/nginx.conf", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(port, process)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stderr.close()


def _write_config(
    work: Path, app_address: str, port: int, access_log: Path | None, purge_port=None
) -> None:
    deploy = DEPLOY_CONF.read_text()
    replacements = {
        "access_log /var/log/nginx/access.log": f"access_log {access_log or work / 'access.log'}",
        "proxy_cache_path /var/cache/nginx/tovani": f"proxy_cache_path {work}/cache",
        "server 127.0.0.1:8000;": f"server {app_address};",
        "listen 80;": f"listen 127.0.0.1:{port};",
    }
    for old, new in replacements.items():
        assert old in deploy, f"deploy/nginx.conf no longer contains {old!r}"
        deploy = deploy.replace(old, new)
    module = ""
    if purge_port is not None:
        old = "listen 127.0.0.1:8081;"
        purging = PURGE_CONF.read_text()
        assert old in purging, f"deploy/nginx-purge.conf no longer contains {old!r}"
        deploy += purging.replace(old, f"listen 127.0.0.1:{purge_port};")
        module = f"load_module {PURGE_MODULE};"
    (work / "tovani.conf").write_text(deploy)
    user = "user root;" if os.geteuid() == 0 else ""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {work}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"""{user}
{module}
worker_processes 1;
worker_rlimit_nofile 16384;  # what deploy/nginx.conf asks of the main nginx.conf
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
{temp_paths}
    include {work}/tovani.conf;
}}
"""
    )
