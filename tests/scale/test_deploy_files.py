"""The deploy files hold together: compose, Kubernetes, nginx, Dockerfile (parsed, not run)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

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
    assert sorted(kinds) == ["Deployment", "PodDisruptionBudget", "Service"]


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
