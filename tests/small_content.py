"""Content written for tests: a two-topic taxonomy the small test corpora share."""

from __future__ import annotations

QUANTUM_AND_REGULATION = """\
[[topic]]
id = "quantum"
name = "Quantum computing"
aliases = ["quantum"]
keywords = ["qubits"]

[[topic]]
id = "regulation"
name = "Regulation"
aliases = ["regulation"]
keywords = ["compliance"]
"""
