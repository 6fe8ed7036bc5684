"""The deploy files hold together: compose, Kubernetes, nginx, Dockerfile (parsed, not run)."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.runtime.settings import DEFAULT_MAX_REQUEST_BYTES
from tests.scale import cluster as c

DEPLOY = c.ROOT / "deploy"


def _yaml(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _upstreams(conf: str) -> list[str]:
    return re.findall(r"^\s*server\s+([\w.-]+):\d+", conf, flags=re.M)


def test_compose_runs_postgres_replicas_in_http_mode_and_nginx() -> None:
    (compose,) = _yaml(DEPLOY / "compose.yaml")
    services = compose["services"]
    bots = {name: s for name, s in services.items() if name.startswith("bot-")}
    assert len(bots) >= 2
    for bot in bots.values():
        assert bot["command"][:2] == ["serve", "--http"]
        env = bot["environment"]
        assert (
            env["DATABASE_URL"].startswith("postgresql+psycopg://")
            and "@postgres:" in env["DATABASE_URL"]
        )
        assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} <= set(env)
        # Tokens come from the environment, never inline.
        assert str(env["SLACK_BOT_TOKEN"]).startswith("${SLACK_BOT_TOKEN")
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
        # nginx waits for ready replicas: the database answers (GET /readyz).
        assert "/readyz" in " ".join(bot["healthcheck"]["test"])
    assert services["postgres"]["image"].startswith("postgres:")
    lb = services["lb"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in lb["volumes"]
    # Every upstream in nginx.conf is a bot service of compose, and every bot is an upstream.
    assert set(_upstreams((DEPLOY / "nginx.conf").read_text())) == set(bots)


def test_kubernetes_deployment_service_probes_content_and_secret() -> None:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in _yaml(path):
            docs[(doc["kind"], path.name)] = doc
    kinds = {k for k, _ in docs}
    assert {"Deployment", "Service", "Kustomization", "PodDisruptionBudget"} <= kinds
    (deployment,) = [d for (k, _), d in docs.items() if k == "Deployment"]
    (service,) = [d for (k, _), d in docs.items() if k == "Service"]
    spec = deployment["spec"]
    assert spec["replicas"] >= 3
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    pod = spec["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    assert container["args"][:2] == ["serve", "--http"]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    # Readiness pings the database; liveness does not (a database outage is no reason to
    # restart every replica).
    paths = {"readinessProbe": "/readyz", "livenessProbe": "/healthz", "startupProbe": "/healthz"}
    for probe, path in paths.items():
        assert container[probe]["httpGet"]["path"] == path
        assert container[probe]["httpGet"]["port"] in port_names
    env = {e["name"]: e for e in container["env"]}
    for secret in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"):
        assert env[secret]["valueFrom"]["secretKeyRef"]["name"] == "briefbot"
        assert "value" not in env[secret]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    content_dir = env["BRIEFBOT_CONTENT_DIR"]["value"]
    assert mounts["reports"] == f"{content_dir}/sources"
    assert volumes["reports"]["configMap"]["name"] == "briefbot-reports"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert mounts["data"] == env["BRIEFBOT_DATA_DIR"]["value"]  # the only writable place
    (kustomization,) = [d for (k, _), d in docs.items() if k == "Kustomization"]
    assert "secret.example.yaml" not in kustomization["resources"]  # real tokens stay out


@pytest.mark.skipif(
    shutil.which("kubectl") is None,
    reason="kubectl is not installed: install it to check `kubectl kustomize deploy/k8s`",
)
def test_kustomize_builds_offline() -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    kinds = [d["kind"] for d in yaml.safe_load_all(out.stdout) if d]
    assert sorted(kinds) == ["Deployment", "Ingress", "PodDisruptionBudget", "Service"]


def test_dockerfile_is_multi_stage_slim_non_root_with_content() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", text, flags=re.M)
    assert len(stages) >= 2 and all("slim" in image for image, _ in stages)
    final = text[text.rindex("\nFROM ") :]
    assert re.search(r"^USER\s+(?!0\b|root\b)\S+", final, flags=re.M)
    assert "COPY --from=build" in final and "content /app/content" in final
    assert re.search(r'CMD \["serve", "--http"\]', final)
    assert "/healthz" in final
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "!bot/**" in ignore and "!content/**" in ignore


@pytest.mark.skipif(c.nginx_binary() is None, reason=c.NGINX_MISSING)
def test_nginx_conf_is_valid_and_only_retries_posts_that_never_arrived(tmp_path: Path) -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    # The deliberate choice: no `non_idempotent`, so Slack's POSTs move on only on connect errors.
    (directive,) = re.findall(r"^\s*proxy_next_upstream\s+([^;]+);", conf, flags=re.M)
    assert directive.split() == ["error", "timeout"]
    for path in ("/slack/events", "/healthz", "/metrics"):
        assert f"location = {path}" in conf
    derived = c.loopback_nginx_conf(
        conf, listen_port=c.free_port(), upstream_ports=[1, 2, 3], workdir=tmp_path
    )
    (tmp_path / "tmp").mkdir()
    (tmp_path / "nginx.conf").write_text(derived, encoding="utf-8")
    binary = c.nginx_binary()
    assert binary is not None
    check = subprocess.run(
        [
            binary,
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    # Only what must differ on loopback differs.
    assert derived.count("server 127.0.0.1:") == 3
    assert "proxy_next_upstream error timeout;" in derived


# --- pinned, safe deploys (issue 14) ---------------------------------------------------------

SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
MEMORY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9, "": 1}


def _nginx_size(value: str) -> int:
    """An nginx/ingress-nginx size ("1m", "512k", "1048576") in bytes."""
    m = re.fullmatch(r"(\d+)([kmgKMG]?)", value.strip())
    assert m, f"not an nginx size: {value!r}"
    return int(m[1]) * SIZE_UNITS[m[2].lower()]


def _cpu(value: str | int | float) -> float:
    m = CPU.match(str(value))
    assert m, f"not a CPU quantity: {value!r}"
    return float(m[1]) / (1000 if m[2] else 1)


def _memory(value: str) -> int:
    m = re.fullmatch(r"(\d+)([KMG]i?)?", str(value))
    assert m, f"not a memory quantity: {value!r}"
    return int(m[1]) * MEMORY_UNITS[m[2] or ""]


def _k8s_docs() -> list[dict[str, Any]]:
    return [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) for doc in _yaml(path)]


def _metrics_location(conf: str) -> str:
    m = re.search(r"location = /metrics \{(.*?)\n        \}", conf, flags=re.S)
    assert m, "deploy/nginx.conf has no `location = /metrics { ... }`"
    return m[1]


def test_dockerfile_pins_the_base_image_by_digest_and_installs_the_lock() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    images = re.findall(r"^FROM\s+(\S+)", text, flags=re.M)
    assert images and all(re.search(r"@sha256:[0-9a-f]{64}$", i) for i in images), images
    assert len(set(images)) == 1, "both stages should start from the same pinned image"
    assert all(i.startswith("python:3.11-slim@") for i in images)
    assert "how to refresh" in text.lower() or "refresh it" in text  # the digest is not magic
    build = text[: text.rindex("\nFROM ")]
    assert re.search(r"pip install --require-hashes .*-r requirements\.lock", build)
    # The project itself is installed without resolving anything the lock did not pin.
    assert re.search(r"pip install --no-deps \.", build)
    assert not re.search(r"pip install (?!--require-hashes|--no-deps)", build)
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "!requirements.lock" in ignore.splitlines()


def test_compose_refuses_to_start_without_a_database_password() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    (compose,) = _yaml(DEPLOY / "compose.yaml")
    uses = re.findall(r"\$\{POSTGRES_PASSWORD([^}]*)\}", text)
    assert len(uses) >= 2 and all(u.startswith(":?") and len(u) > 2 for u in uses), uses
    assert "POSTGRES_PASSWORD" in compose["services"]["postgres"]["environment"]
    assert ":?" in compose["services"]["bot-1"]["environment"]["DATABASE_URL"]
    # No secret anywhere falls back to a default written in the file.
    defaults = re.findall(r"\$\{(\w*(?:PASSWORD|SECRET|TOKEN)\w*):?-", text)
    assert not defaults, f"secrets with a default in compose.yaml: {defaults}"


def test_every_kubernetes_container_has_cpu_and_memory_requests_and_limits() -> None:
    containers = []
    for doc in _k8s_docs():
        pod = doc.get("spec", {}).get("template", {}).get("spec")
        if pod:
            containers += pod.get("initContainers", []) + pod["containers"]
    assert containers
    for container in containers:
        res = container["resources"]
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(res[kind]), f"{container['name']}: {kind}"
        assert _cpu(res["requests"]["cpu"]) <= _cpu(res["limits"]["cpu"])
        assert _memory(res["requests"]["memory"]) <= _memory(res["limits"]["memory"])


def test_request_bodies_are_limited_to_one_mib_at_the_ingress_and_in_nginx() -> None:
    docs = _k8s_docs()
    (ingress,) = [d for d in docs if d["kind"] == "Ingress"]
    (service,) = [d for d in docs if d["kind"] == "Service"]
    limit = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert _nginx_size(limit) == DEFAULT_MAX_REQUEST_BYTES == 1024 * 1024
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    (body,) = re.findall(r"^\s*client_max_body_size\s+(\S+);", conf, flags=re.M)
    assert _nginx_size(body) == DEFAULT_MAX_REQUEST_BYTES
    # Only Slack's URL is public: probes and /metrics stay inside the cluster.
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert [(p["path"], p["pathType"]) for p in paths] == [("/slack/events", "Exact")]
    for p in paths:
        backend = p["backend"]["service"]
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"]["name"] in {port["name"] for port in service["spec"]["ports"]}
    (kustomization,) = [d for d in docs if d["kind"] == "Kustomization"]
    assert "ingress.yaml" in kustomization["resources"]


def test_nginx_serves_metrics_only_to_an_explicit_allow_list() -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    location = _metrics_location(conf)
    assert "$metrics_allowed" in location and "return 403" in location
    assert "allow " not in location  # not "any private network" any more
    geo = re.search(r"geo \$metrics_allowed \{(.*?)\}", conf, flags=re.S)
    assert geo
    entries = [
        line.split("#")[0].split() for line in geo[1].splitlines() if line.split("#")[0].strip()
    ]
    assert ["default", "0;"] in entries
    allowed = [addr for addr, flag in entries if flag == "1;"]
    assert set(allowed) <= {"127.0.0.1", "::1"}, f"uncommented non-loopback entries: {allowed}"


@pytest.mark.skipif(c.nginx_binary() is None, reason=c.NGINX_MISSING)
def test_nginx_refuses_metrics_to_other_addresses_and_big_bodies(tmp_path: Path) -> None:
    dead = c.free_port()  # no replica: an allowed request reaches the upstream and gets 502
    nginx = c.start_nginx([dead], tmp_path)
    try:

        def status(method: str, path: str, source: str, body: bytes = b"") -> int:
            conn = http.client.HTTPConnection(
                "127.0.0.1", nginx.port, timeout=10, source_address=(source, 0)
            )
            try:
                conn.request(method, path, body=body or None)
                return conn.getresponse().status
            finally:
                conn.close()

        assert status("GET", "/metrics", "127.0.0.1") == 502  # allowed: passed on
        assert status("GET", "/metrics", "127.0.0.2") == 403  # any other address: refused
        big = b"x" * (DEFAULT_MAX_REQUEST_BYTES + 1)
        assert status("POST", "/slack/events", "127.0.0.2", big) == 413
    finally:
        nginx.stop()
