"""Suite-wide test settings: property tests judge correctness, never speed (benchmarks do)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# A shared 2-core CI machine can stall any single example; timing lives in bench/, not here.
settings.register_profile("briefbot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("briefbot")
