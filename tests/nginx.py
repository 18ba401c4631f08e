"""The shipped deploy/nginx.conf, run by a test in front of the live server."""

import contextlib
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from tests.system_tools import free_port, require, wait_for_port

DEPLOY_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"


@contextlib.contextmanager
def nginx_in_front_of(app_url: str, access_log: Path | None = None):
    """nginx with deploy/nginx.conf, changing only its addresses, cache path and access log
    (to access_log, or a file of its own); yields its port."""
    binary = require("nginx", "nginx", also=("/usr/sbin/nginx",))
    app = urlsplit(app_url)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tovani-nginx-") as work:
        _write_config(Path(work), f"{app.hostname}:{app.port}", port, access_log)
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


def _write_config(work: Path, app_address: str, port: int, access_log: Path | None) -> None:
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
    (work / "tovani.conf").write_text(deploy)
    user = "user root;" if os.geteuid() == 0 else ""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {work}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp_paths}
    include {work}/tovani.conf;
}}
"""
    )
