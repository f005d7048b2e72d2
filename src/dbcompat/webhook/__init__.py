"""A Kubernetes validating admission webhook that refuses an unsafe upgrade before the operator
applies it: :mod:`.review` decides, :mod:`.server` serves ``AdmissionReview`` s over HTTPS.

>>> from dbcompat.webhook import Policy, review
>>> request = {"uid": "7", "operation": "CREATE", "kind": {"kind": "ConfigMap"}}
>>> body = {"apiVersion": "admission.k8s.io/v1", "request": request}
>>> answer = review(body, Policy())["response"]
>>> answer["allowed"], answer["status"]["message"]
(True, 'dbcompat: dbcompat does not judge ConfigMap.')
"""

from __future__ import annotations

from .review import Judgement, NotAReview, Policy, judge, review

__all__ = ["Judgement", "NotAReview", "Policy", "judge", "review"]
