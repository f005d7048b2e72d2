"""The webhook's metrics: reviews by verdict and their latency, in Prometheus' text format.

``prometheus-client`` is in the ``webhook`` extra; without it the counts are not kept and
``/metrics`` says which extra is missing.

>>> metrics = Metrics()
>>> metrics.observe("allowed", 0.002)
>>> b'dbcompat_webhook_reviews_total{verdict="allowed"} 1.0' in (metrics.text() or b"")
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Metrics"]


class Metrics:
    """Counts of the reviews answered, by verdict, and a histogram of the time to answer."""

    def __init__(self) -> None:
        try:
            import prometheus_client
        except ImportError:
            self.registry = None
            return
        self.registry = prometheus_client.CollectorRegistry()
        self.reviews = prometheus_client.Counter(
            "dbcompat_webhook_reviews", "Admission reviews answered", ["verdict"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = prometheus_client.Histogram(
            "dbcompat_webhook_review_seconds",
            "Time to answer an admission review",
            buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0),
            registry=self.registry,
        )
        self._generate: Callable[[Any], bytes] = prometheus_client.generate_latest

    def observe(self, verdict: str, seconds: float) -> None:
        """Count one review answered *verdict* (``allowed`` or ``refused``) in *seconds*."""
        if self.registry is not None:
            self.reviews.labels(verdict).inc()
            self.latency.observe(seconds)

    def text(self) -> bytes | None:
        """The metrics in Prometheus' text format; None without ``prometheus-client``."""
        return None if self.registry is None else self._generate(self.registry)
