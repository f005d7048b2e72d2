"""A Kubernetes validating admission webhook that refuses an unsafe upgrade before the operator
applies it: :mod:`.review` decides, :mod:`.server` serves ``AdmissionReview`` s over HTTPS.

>>> from dbcompat.webhook import Policy, review
>>> request = {"uid": "7", "operation": "CREATE", "kind": {"kind": "ConfigMap"}}
>>> review({"request": request}, Policy())["response"]
{'uid': '7', 'allowed': True}
"""

from __future__ import annotations

from .review import Judgement, Policy, judge, review

__all__ = ["Judgement", "Policy", "judge", "review"]
