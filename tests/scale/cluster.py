"""A real cluster on loopback: nginx (from deploy/nginx.conf) in front of `briefbot serve --http`
replicas sharing one database, plus Slack-style signed deliveries. Used by tests and bench."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SIGNING_SECRET = "scale-test-signing-secret"
BOT_TOKEN = "xoxb-scale-test-token"
TEAM_ID = "T0STANDIN"
APP_ID = "A0BRIEFBOT"
BOT_USER_ID = "U0BRIEFBOT"
UPSTREAM_HEADER = "X-Briefbot-Upstream"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Why the nginx tests are skipped, and the fix (a fresh machine has no nginx; .ci/run installs it).
NGINX_MISSING = (
    "nginx is not installed: `sudo apt-get install nginx` (as .ci/run does) to run the "
    "load-balancer tests"
)


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


# --- nginx: the deploy config, moved onto loopback -------------------------------------------


def _sub_once(pattern: str, repl: str, text: str, *, count: int = 1, flags: int = 0) -> str:
    new, n = re.subn(pattern, repl, text, flags=flags)
    if n != count:
        raise ValueError(f"deploy/nginx.conf changed: expected {count} match(es) of {pattern!r}")
    return new


def loopback_nginx_conf(
    template: str, *, listen_port: int, upstream_ports: list[int], workdir: Path
) -> str:
    """deploy/nginx.conf with only what must differ on loopback changed: the listen address,
    the upstream servers (same parameters), logs/pid/temp files under workdir, `daemon off`,
    and a response header naming the replica that answered (so tests can retry elsewhere)."""
    servers = re.findall(r"^\s*server\s+bot-\d+:\d+([^;]*);", template, flags=re.M)
    if not servers:
        raise ValueError("deploy/nginx.conf has no `server bot-N:PORT ...;` upstream lines")
    params = servers[0]
    lines = "".join(f"        server 127.0.0.1:{p}{params};\n" for p in upstream_ports)
    conf = re.sub(r"^\s*server\s+bot-\d+:\d+[^;]*;\n", "", template, flags=re.M)
    conf = _sub_once(r"(upstream briefbot \{\n)", r"\1" + lines.replace("\\", "\\\\"), conf)
    conf = _sub_once(r"listen 8080;", f"listen 127.0.0.1:{listen_port};", conf)
    conf = _sub_once(
        r"access_log /dev/stdout briefbot;", f"access_log {workdir}/access.log briefbot;", conf
    )
    temp = "".join(
        f"    {kind}_temp_path {workdir}/tmp/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = _sub_once(
        r"(http \{\n)",
        r"\1" + temp + f'    add_header {UPSTREAM_HEADER} "$upstream_addr" always;\n',
        conf,
    )
    conf = _sub_once(r"worker_processes auto;", "worker_processes 2;", conf)
    head = f"daemon off;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
    return head + conf


@dataclass
class Nginx:
    port: int
    workdir: Path
    proc: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_nginx(upstream_ports: list[int], workdir: Path) -> Nginx:
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    port = free_port()
    conf = loopback_nginx_conf(
        DEPLOY_NGINX_CONF.read_text(encoding="utf-8"),
        listen_port=port,
        upstream_ports=upstream_ports,
        workdir=workdir,
    )
    conf_path = workdir / "nginx.conf"
    conf_path.write_text(conf, encoding="utf-8")
    check = subprocess.run(
        [
            binary,
            "-t",
            "-q",
            "-p",
            str(workdir),
            "-e",
            str(workdir / "error.log"),
            "-c",
            str(conf_path),
        ],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed: {check.stderr}")
    proc = subprocess.Popen(
        [binary, "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(conf_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, proc=proc)
    return Nginx(port, workdir, proc)


# --- replicas -------------------------------------------------------------------------------


@dataclass
class Replica:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path
    token: str = BOT_TOKEN  # its own bot token, so the Slack stand-in can tell who posted

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no goodbye, no flushing, exactly what a crashed node looks like."""
        if self.alive:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.alive:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def replica_env(
    *, database_url: str, slack_api_url: str, data_dir: Path, extra: Mapping[str, str] = {}
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRIEFBOT_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api_url,
        DATABASE_URL=database_url,
        BRIEFBOT_CONTENT_DIR=str(ROOT / "content"),
        BRIEFBOT_DATA_DIR=str(data_dir),
        BRIEFBOT_LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_replica(name: str, env: Mapping[str, str], workdir: Path) -> Replica:
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"{name}.log"
    token = f"{env.get('SLACK_BOT_TOKEN', BOT_TOKEN)}-{name}"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "serve",
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env={
                **env,
                "BRIEFBOT_DATA_DIR": str(workdir / f"{name}-data"),
                "SLACK_BOT_TOKEN": token,
            },
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return Replica(name, port, proc, log_path, token)


def wait_for_port(
    port: int, *, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {port} after {timeout}s")


def wait_healthy(replica: Replica, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not replica.alive:
            raise RuntimeError(f"{replica.name} exited:\n{replica.log()[-3000:]}")
        try:
            status, _, _ = get(replica.port, "/healthz", timeout=1.0)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{replica.name} not healthy after {timeout}s:\n{replica.log()[-3000:]}")


# --- Slack's side of the wire ---------------------------------------------------------------


def mention_body(n: int, *, channel: str, text: str, ts: str) -> dict[str, object]:
    """An app_mention event_callback as the Events API sends it."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_mention",
            "user": f"U{n % 97:06d}",
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        },
        "type": "event_callback",
        "event_id": f"Ev{n:08d}SCALE",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def signed_headers(
    body: bytes, *, retry_num: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """Headers exactly as Slack sends them: v0 HMAC-SHA256 over `v0:{ts}:{body}`."""
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


@dataclass
class Delivery:
    """One POST to /slack/events and what came back."""

    event_id: str
    port: int
    retry_num: int | None
    status: int | None  # None: no HTTP answer at all (connection refused/reset)
    upstream: str = ""
    seconds: float = 0.0
    error: str = ""

    @property
    def acked(self) -> bool:
        return self.status == 200


@dataclass
class Deliverer:
    """Keeps one HTTP/1.1 connection per thread and port, as Slack's senders would."""

    timeout: float = 5.0
    _conns: dict[tuple[int, int], http.client.HTTPConnection] = field(default_factory=dict)

    def post(self, port: int, body: dict[str, object], *, retry_num: int | None = None) -> Delivery:
        import threading

        raw = json.dumps(body).encode()
        key = (threading.get_ident(), port)
        started = time.perf_counter()
        eid = str(body.get("event_id", ""))
        for attempt in (1, 2):
            conn = self._conns.get(key)
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
                self._conns[key] = conn
            try:
                conn.request(
                    "POST",
                    "/slack/events",
                    body=raw,
                    headers=signed_headers(raw, retry_num=retry_num),
                )
                resp = conn.getresponse()
                resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    self._conns.pop(key, None)
                return Delivery(
                    eid,
                    port,
                    retry_num,
                    resp.status,
                    resp.getheader(UPSTREAM_HEADER, "") or "",
                    time.perf_counter() - started,
                )
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                self._conns.pop(key, None)
                # A kept-alive connection the server had closed: reconnect once, like a client.
                if attempt == 1 and isinstance(
                    exc, (http.client.RemoteDisconnected, BrokenPipeError)
                ):
                    continue
                return Delivery(
                    eid,
                    port,
                    retry_num,
                    None,
                    "",
                    time.perf_counter() - started,
                    f"{type(exc).__name__}: {exc}",
                )
        raise AssertionError("unreachable")

    def close(self) -> None:
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()


def get(port: int, path: str, *, timeout: float = 3.0) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@contextmanager
def cluster(
    n: int,
    *,
    database_url: str,
    slack_api_url: str,
    workdir: Path,
    extra_env: Mapping[str, str] = {},
) -> Iterator[tuple[Nginx, list[Replica]]]:
    """n replicas (started together, so their migrations race too) behind nginx."""
    env = replica_env(
        database_url=database_url,
        slack_api_url=slack_api_url,
        data_dir=workdir / "data",
        extra=extra_env,
    )
    replicas = [start_replica(f"bot-{i + 1}", env, workdir) for i in range(n)]
    nginx: Nginx | None = None
    try:
        for r in replicas:
            wait_healthy(r)
        nginx = start_nginx([r.port for r in replicas], workdir / "nginx")
        yield nginx, replicas
    finally:
        if nginx is not None:
            nginx.stop()
        for r in replicas:
            r.stop()
