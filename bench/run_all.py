"""Run every benchmark in turn (`make bench`); each prints a Markdown table for the README."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "bench.bench_ask",
    "bench.bench_ingest",
    "bench.bench_retrieval",
    "bench.bench_slack",
    "bench.bench_security",
    "bench.bench_digests",
    "bench.bench_scale",
    "bench.bench_coverage",
    "bench.bench_claims",
)


def main() -> None:
    failed = []
    for module in BENCHMARKS:
        print(f"\n## {module}\n", flush=True)
        if subprocess.run([sys.executable, "-m", module], check=False).returncode != 0:
            failed.append(module)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
