"""A local cluster on one machine: `make cluster` (or `python deploy/cluster.py`).

Starts, all on 127.0.0.1 and free ports, in a temporary directory:

  PostgreSQL primary        initdb, wal_level=replica
  PostgreSQL replica        pg_basebackup -R from the primary, streaming, hot standby
  Redis                     the shared cache, and where replicas' fence is kept
  two application nodes     gunicorn, reading public pages from the replica when it is current
  the task worker           manage.py db_worker, sending purges to Varnish
  Varnish                   deploy/varnish.vcl in front of both nodes, purged by xkey

loads the demo library, prints the addresses, and on Ctrl-C (or SIGTERM) stops everything it
started and removes the directory. Needs Debian's postgresql, varnish, varnish-modules and
redis-server. PostgreSQL refuses to run as root: as root the script runs it as the `postgres`
user.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
DATABASE = "tovani"
# A fixed development key: the cluster is a throwaway on the loopback.
SIGNING_KEY = "JDCgU/9CPTJCFmfEt7XB+771GEISwn32rFLoLTtzuBo="


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process=None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def postgres_bin(program: str) -> str:
    found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
    candidates = [Path(found.stdout.strip()) / program] if found.returncode == 0 else []
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), reverse=True)
    for path in candidates:
        if path.exists():
            return str(path)
    raise RuntimeError(f"{program} not found: install Debian's postgresql")


def require(program: str, package: str, *also: str) -> str:
    found = shutil.which(program) or next((p for p in also if Path(p).exists()), None)
    if not found:
        raise RuntimeError(f"{program} not found: install Debian's {package}")
    return found


class Cluster:
    """Every process of the cluster; start() brings them up, stop() takes down what started."""

    def __init__(self, nodes: int = 2):
        self.work = Path(tempfile.mkdtemp(prefix="tovani-cluster-"))
        self.ports = {
            "primary": free_port(),
            "replica": free_port(),
            "redis": free_port(),
            "varnish": free_port(),
            **{f"node{n}": free_port() for n in range(1, nodes + 1)},
        }
        self.node_names = [f"node{n}" for n in range(1, nodes + 1)]
        self.processes: dict[str, subprocess.Popen] = {}
        self.databases: list[Path] = []
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # Addresses.

    def url(self, name: str) -> str:
        return f"http://{HOST}:{self.ports[name]}"

    @property
    def varnish_url(self) -> str:
        return self.url("varnish")

    def node_urls(self) -> list[str]:
        return [self.url(name) for name in self.node_names]

    def database_url(self, name: str = "primary") -> str:
        return f"postgres://postgres@{HOST}:{self.ports[name]}/{DATABASE}"

    def env(self, **extra) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tovani.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": self.varnish_url,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": self.database_url(),
            "DATABASE_REPLICA_URLS": self.database_url("replica"),
            "REDIS_URL": f"redis://{HOST}:{self.ports['redis']}/0",
            "TASKS_BACKEND": "database",
            "PURGE_URLS": f"varnish+{self.varnish_url}",
            "SIGNING_KEY": SIGNING_KEY,
            # Varnish keeps pages; each node asks the database (the replica when current).
            "PAGE_POINTER_SECONDS": "0",
            "TRUSTED_PROXY_COUNT": "1",
            **extra,
        }

    # Starting.

    def start(self) -> "Cluster":
        try:
            self._start_primary()
            self._start_replica()
            self._start_redis()
            self.manage("collectstatic", "--noinput", "-v", "0")
            self.manage("migrate", "--noinput", "-v", "0")
            self.demo_output = self.manage("load_demo")
            for name in self.node_names:
                self._start_node(name)
            self._start_worker()
            self._start_varnish()
        except BaseException:
            self.stop()
            raise
        return self

    def _postgres(self, *command, **kwargs):
        return subprocess.run(
            [*self.as_postgres, *command], check=True, capture_output=True, text=True, **kwargs
        )

    def _start_primary(self):
        data = self.work / "primary"
        os.chmod(self.work, 0o755)
        if self.as_postgres:
            shutil.chown(self.work, "postgres")
        self._postgres(postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust")
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{HOST}'\nport = {self.ports['primary']}\n"
                f"unix_socket_directories = '{self.work}'\nwal_level = replica\n"
                "max_wal_senders = 5\nfsync = off\nsynchronous_commit = on\n"
            )
        self._pg_ctl(data, "start")
        self._postgres(
            postgres_bin("createdb"), "-h", HOST, "-p", str(self.ports["primary"]), DATABASE
        )

    def _start_replica(self):
        data = self.work / "replica"
        self._postgres(
            postgres_bin("pg_basebackup"),
            *("-h", HOST, "-p", str(self.ports["primary"]), "-U", "postgres"),
            *("-D", str(data), "-R", "-X", "stream", "--checkpoint=fast"),
        )
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.ports['replica']}\nhot_standby = on\n")
        self._pg_ctl(data, "start")

    def _pg_ctl(self, data: Path, action: str):
        log = self.work / f"{data.name}.log"
        self._postgres(postgres_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-w", action)
        if action == "start" and data not in self.databases:
            self.databases.append(data)

    def stop_replica(self):
        self._postgres(
            postgres_bin("pg_ctl"), "-D", str(self.work / "replica"), "-m", "fast", "-w", "stop"
        )

    def sql(self, name: str, statement: str) -> str:
        """Run one statement on the primary or the replica; its output, unaligned."""
        found = self._postgres(
            postgres_bin("psql"),
            *("-h", HOST, "-p", str(self.ports[name]), "-U", "postgres", "-d", DATABASE),
            *("-At", "-c", statement),
        )
        return found.stdout.strip()

    def _start_redis(self):
        binary = require("redis-server", "redis-server")
        self._spawn(
            "redis",
            [binary, "--bind", HOST, "--port", str(self.ports["redis"]), "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.work)],
        )
        wait_for_port(self.ports["redis"], self.processes["redis"])

    def _start_node(self, name: str):
        command = [str(GUNICORN), "tovani.wsgi", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        command += ["--control-socket", str(self.work / f"{name}.ctl")]
        env = self.env(GUNICORN_BIND=f"{HOST}:{self.ports[name]}", GUNICORN_WORKERS="2")
        self._spawn(name, command, env=env)
        wait_for_port(self.ports[name], self.processes[name])

    def _start_worker(self):
        command = [str(PYTHON), "manage.py", "db_worker", "--interval", "0.05"]
        self._spawn("worker", command, env=self.env())

    def _start_varnish(self):
        binary = require("varnishd", "varnish", "/usr/sbin/varnishd")
        vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
        for name in ("node1", "node2"):
            old = f'.port = "{8000 + int(name[-1])}";'
            assert old in vcl, f"deploy/varnish.vcl no longer contains {old!r}"
            vcl = vcl.replace(old, f'.port = "{self.ports[name]}";')
        (self.work / "varnish.vcl").write_text(vcl)
        state = self.work / "varnish"
        state.mkdir()
        os.chmod(state, 0o777)
        command = [binary, "-F", "-n", str(state), "-a", f"{HOST}:{self.ports['varnish']}"]
        command += ["-f", str(self.work / "varnish.vcl"), "-s", "malloc,64m"]
        self._spawn("varnish", command)
        wait_for_port(self.ports["varnish"], self.processes["varnish"])

    def _spawn(self, name: str, command: list[str], env=None):
        log = (self.work / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )

    def manage(self, *args: str, **extra_env) -> str:
        """Run a management command against the cluster's primary; its output."""
        found = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            check=False,
        )
        if found.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{found.stderr}")
        return found.stdout

    # Stopping.

    def stop(self):
        """Stop every process this cluster started, then remove its directory."""
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for data in reversed(self.databases):
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.CalledProcessError):
                    self._postgres(
                        postgres_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"
                    )
        shutil.rmtree(self.work, ignore_errors=True)

    def log(self, name: str) -> str:
        path = self.work / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def main():
    cluster = Cluster()
    print(f"Starting the cluster in {cluster.work} …", flush=True)
    stopping = []

    def stop_on_signal(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop_on_signal)
    cluster.start()
    try:
        print(cluster.demo_output)
        print(f"  Varnish (both nodes):  {cluster.varnish_url}/conditions/")
        for name, url in zip(cluster.node_names, cluster.node_urls(), strict=True):
            print(f"  Application {name}:     {url}/conditions/")
        print(f"  PostgreSQL primary:    {cluster.database_url()}")
        print(f"  PostgreSQL replica:    {cluster.database_url('replica')}")
        print(f"  Redis:                 redis://{HOST}:{cluster.ports['redis']}/0")
        print(f"  Admin:                 {cluster.url('node1')}/admin/")
        print(f"  A login:  DATABASE_URL={cluster.database_url()} manage.py createsuperuser")
        print("")
        print("Ctrl-C stops everything.", flush=True)
        while not stopping:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping the cluster …", flush=True)
        cluster.stop()
        print("Stopped.")


if __name__ == "__main__":
    sys.exit(main())
