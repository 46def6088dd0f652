"""How hard the property tests search: three Hypothesis profiles (loaded by tests/conftest.py).

- ``dev`` (the default): random examples, as many as each test names; failures are kept
  in ``.hypothesis/`` and tried first next time.
- ``ci`` (when ``CI=true``, as in ``.ci/run``): the same examples, but derandomized, so a
  run gives the same verdict every time and a red CI is reproducible, never a fluke;
  no example database, no deadline (the machine is shared).
- ``thorough`` (``HYPOTHESIS_PROFILE=thorough``, by hand): ten times the examples, random.

``HYPOTHESIS_PROFILE`` picks any of them by name. A test names its count through
:func:`examples`, so that the profile scales it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from hypothesis import HealthCheck, settings

#: The examples of a profile at scale 1 (Hypothesis's own default).
BASE = 100

settings.register_profile("dev", max_examples=BASE, deadline=None)
settings.register_profile(
    "ci", max_examples=BASE, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=10 * BASE, deadline=None)


def profile_name(environ: Mapping[str, str] = os.environ) -> str:
    """The profile to load: ``HYPOTHESIS_PROFILE``, else ``ci`` when ``CI=true``, else ``dev``."""
    chosen = environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if environ.get("CI", "").lower() in ("true", "1") else "dev"


def examples(n: int) -> int:
    """``n`` examples scaled by the profile loaded (dev and ci: ``n``; thorough: ``10 * n``)."""
    return max(1, n * settings.default.max_examples // BASE)
