"""Answering a Kubernetes ``AdmissionReview`` (``admission.k8s.io/v1``) with dbcompat's rules: the
versions the old and the new object name, each move judged, the answer with the rule's reason.

Objects judged: YDB ``Storage`` and ``Database`` (``ydb.tech``), ``RavenDBCluster``
(``ravendb.ravendb.io``), and Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets and Jobs
whose containers run YDB or RavenDB images. Anything else is allowed untouched.

The rollback limit needs the versions installed before. A validating webhook must not change the
object, so dbcompat reads them, and never writes them: the annotation
``dbcompat.io/installed-versions`` (comma-separated) on the old object, which a mutating step or
the release process maintains; without it, the old version is the only history known. RavenDB
clients are declared the same way, in ``dbcompat.io/ravendb-clients`` (``api=5.4,web=6.0``): a
server moved below what a declared client needs is refused.

>>> old = {"apiVersion": "ydb.tech/v1alpha1", "kind": "Storage", "metadata": {"name": "s"},
...        "spec": {"image": {"name": "cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12"}}}
>>> new = {**old, "spec": {"image": {"name": "cr.yandex/crptqonuodf51kdj7a7d/ydb:25.2.1.26"}}}
>>> request = {"uid": "1", "operation": "UPDATE", "kind": {"kind": "Storage"},
...            "object": new, "oldObject": old}
>>> body = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}
>>> answer = review(body, Policy())["response"]
>>> answer["allowed"], answer["status"]["reason"]
(False, 'skips-major')
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import ravendb, ydb
from ..answers import BinaryAnswer, Verdict
from ..errors import DevelopmentBuild, InvalidVersion
from ..floating import Floating, FloatingPolicy
from ..hints import WARNED, move_for_people, verdict_for_people
from ..inventory import IMAGES, OBJECT_KINDS, InvalidEntry, read_objects
from ..inventory.kubernetes import BadObject, cluster_of
from ..inventory.trees import PLAIN
from ..matching import moved_from
from ..overrides import OVERRIDE_ANNOTATION, apply_override, read_override
from ..products import judge_pinned, package, version_reader

__all__ = [
    "API_VERSIONS",
    "CLIENTS_ANNOTATION",
    "HISTORY_ANNOTATION",
    "MAX_WARNING",
    "Judgement",
    "NotAReview",
    "Policy",
    "failed",
    "judge",
    "read_review",
    "response",
    "review",
]

HISTORY_ANNOTATION = "dbcompat.io/installed-versions"
"""The annotation that lists the versions installed before (read, never written)."""

CLIENTS_ANNOTATION = "dbcompat.io/ravendb-clients"
"""The annotation that declares a RavenDB cluster's clients (``label=version``, comma-separated)."""

API_VERSIONS = ("admission.k8s.io/v1", "admission.k8s.io/v1beta1")
"""The versions of ``AdmissionReview`` answered, each in its own: they share a response's shape."""

MAX_ANNOTATED = 256
"""The most items an annotation (installed versions, clients) may list: a longer one is a fault
of whatever writes it, and reading it would hold the server for every review."""

MAX_WARNING = 256
"""Kubernetes shows warnings to kubectl users; longer ones are cut here, not by it."""


class Policy(NamedTuple):
    """How the webhook decides beyond the rules: the YDB release catalog (None: the embedded
    one), whether release candidates may be installed, whether an object it cannot read is
    allowed (fail open) or refused, namespaces it does not judge, a dry run that allows
    everything and turns refusals into warnings, and whether a RavenDB server may move down
    within its line (an emergency rollback), which RavenDB's own operator refuses, and what to
    do with an image that names no version (``dbcompat.floating``: refuse, warn or ignore)."""

    releases: ydb.Catalog | None = None
    candidates: bool = False
    fail_open: bool = False
    skip_namespaces: frozenset[str] = frozenset()
    dry_run: bool = False
    allow_downgrade: bool = False
    floating: FloatingPolicy = "refuse"


class Judgement(NamedTuple):
    """What the webhook decided on one review: allowed or not, the rule and reason that
    decided, warnings for kubectl, the moves it judged (``label: old -> new``), and what the
    product's own binaries decide of the move that decided, where dbcompat knows it."""

    allowed: bool
    rule: str
    reason: str
    warnings: tuple[str, ...]
    moves: tuple[str, ...]
    binaries: BinaryAnswer | None = None


class NotAReview(ValueError):
    """A body that is not an ``AdmissionReview`` the webhook can answer."""


def read_review(body: Any) -> tuple[str, str, Mapping[str, Any]]:
    """The ``apiVersion``, the request's uid and the request of the review *body*.
    NotAReview when it is not a review of :data:`API_VERSIONS` with a request and a uid, which
    no response could answer in kind.

    >>> read_review({"apiVersion": "admission.k8s.io/v2", "request": {"uid": "1"}})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dbcompat.webhook.review.NotAReview: not an AdmissionReview ...: apiVersion 'admission.k8s.io/v2'
    """
    api_version = body.get("apiVersion") if isinstance(body, Mapping) else None
    if api_version not in API_VERSIONS:
        raise NotAReview(
            "not an AdmissionReview of admission.k8s.io/v1 or v1beta1: "
            f"apiVersion {_shown(api_version)}"
        )
    request = body.get("request")
    uid = request.get("uid") if isinstance(request, Mapping) else None
    if not isinstance(uid, str) or not uid:
        raise NotAReview("not an AdmissionReview: no request with a uid")
    assert isinstance(api_version, str) and isinstance(request, Mapping)
    return api_version, uid, request


def _shown(value: Any) -> str:
    return _cut(repr(value), 60)


def review(body: Mapping[str, Any], policy: Policy) -> dict[str, Any]:
    """The ``AdmissionReview`` response to the review *body*, in the body's own
    ``apiVersion``: the request's uid echoed, and the judgement as ``allowed``, ``status`` (the
    rule's reason), ``warnings`` and, for a YDB move, the ``auditAnnotations`` entry
    ``binaries`` (the binaries' answer as JSON). NotAReview as :func:`read_review`."""
    api_version, uid, request = read_review(body)
    return response(uid, judge(request, policy), api_version)


def response(uid: str, judgement: Judgement, api_version: str = API_VERSIONS[0]) -> dict[str, Any]:
    """The ``AdmissionReview`` of *api_version* that answers the request *uid* with
    *judgement*."""
    answer: dict[str, Any] = {
        "uid": uid,
        "allowed": judgement.allowed,
        "status": {
            "code": 200 if judgement.allowed else 403,
            "reason": judgement.rule,
            "message": f"dbcompat: {judgement.reason}",
        },
    }
    if judgement.warnings:
        answer["warnings"] = [_short(warning) for warning in judgement.warnings]
    if judgement.binaries is not None:
        # The audit log keeps what the binaries decided beside the verdict, as the JSON does.
        answer["auditAnnotations"] = {"binaries": json.dumps(judgement.binaries.as_dict())}
    return {"apiVersion": api_version, "kind": "AdmissionReview", "response": answer}


def _short(text: str) -> str:
    return _cut(" ".join(text.split()), MAX_WARNING)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def judge(request: Mapping[str, Any], policy: Policy) -> Judgement:
    """The judgement on one admission request (the ``request`` of an ``AdmissionReview``)."""
    kind = request.get("kind")
    kind_name = kind.get("kind") if isinstance(kind, Mapping) else None
    if not isinstance(kind_name, str) or kind_name not in OBJECT_KINDS:
        return Judgement(True, "not-judged", f"dbcompat does not judge {kind_name}.", (), ())
    namespace = request.get("namespace")
    if isinstance(namespace, str) and namespace in policy.skip_namespaces:
        return Judgement(True, "not-judged", f"namespace {namespace} is skipped.", (), ())
    operation = request.get("operation")
    if operation not in ("CREATE", "UPDATE"):
        return Judgement(True, "not-judged", f"dbcompat judges no {operation}.", (), ())
    judgement = _judge_objects(request, operation, policy)
    if policy.dry_run and not judgement.allowed:
        warning = f"dry run: would refuse ({judgement.rule}): {judgement.reason}"
        return judgement._replace(allowed=True, warnings=(warning, *judgement.warnings))
    return judgement


def _judge_objects(request: Mapping[str, Any], operation: str, policy: Policy) -> Judgement:
    new_object, old_object = request.get("object"), request.get("oldObject")
    try:
        after = _versions(new_object)
        if operation == "UPDATE" and not isinstance(old_object, Mapping):
            return _unreadable(policy, "the UPDATE carries no oldObject to compare with")
        before = _versions(old_object) if operation == "UPDATE" else {}
        history = _annotated_versions(old_object, HISTORY_ANNOTATION)
        clients = _annotated_clients(new_object)
    except (InvalidEntry, InvalidVersion) as error:
        return _unreadable(policy, str(error))
    except RecursionError:
        return _unreadable(policy, "the object is nested too deeply to read")
    notes: list[str] = [note for _, (_, note) in after.items() if note]
    notes += _beside(new_object)
    override = None
    recorded = _annotation(new_object, OVERRIDE_ANNOTATION)
    if recorded is not None:
        try:
            override = read_override(recorded)
        except ValueError as error:  # an override that says nothing clear overrides nothing
            notes.append(f"{error}: it overrides nothing")
    verdicts: list[tuple[str, Verdict]] = []
    moves = []
    olds = {key: version for key, (version, _) in before.items()}
    news = {key: version for key, (version, _) in after.items()}
    # A container renamed, split or replaced moves from what its product ran in the object.
    for (product, label), froms, version in moved_from(olds, news, group=_product):
        for was in dict.fromkeys(froms or [None]):
            if was == version or (_floats(was) and _floats(version)):
                continue  # unchanged, or floating before too: no version moved
            if was is not None:
                moves.append(f"{label}: {was} -> {version}")
            judged: Verdict | None = None
            if _floats(version) or _floats(was):
                judged = judge_pinned(product, was, version, policy.floating)
                judged = None if judged is None else verdict_for_people(judged)
            elif not policy.candidates and getattr(version, "release_candidate", False):
                reason = (
                    f"{label} would run {version}, a release candidate, not a final release; "
                    "the webhook allows release candidates only with --candidates."
                )
                return Judgement(False, "release-candidate", reason, tuple(notes), (label,))
            elif was is not None:
                judged = _move(product, was, version, tuple(history), policy)
            if judged is None:
                continue
            judged = apply_override(judged, was, version, override, version_reader(product))
            verdicts.append((label, judged))
            if judged and judged.rule in WARNED:
                # Allowed with a warning: kubectl shows it.
                notes.append(f"{label}: {judged.reason}")
    for label, client in clients:
        for (product, _), (version, _) in after.items():
            if product == "ravendb":
                verdicts.append((label, ravendb.check_compatibility(client, version)))
    refusals = [(label, verdict) for label, verdict in verdicts if not verdict]
    notes += [note for _, verdict in verdicts for note in verdict.notes]
    if refusals:
        label, verdict = refusals[0]
        reason = f"{label}: {verdict.reason}"
        return Judgement(False, verdict.rule, reason, tuple(notes), tuple(moves), verdict.binaries)
    if not verdicts:
        reason = "no version moves." if operation == "UPDATE" else "a new object moves nothing."
        return Judgement(True, "no-move", reason, tuple(notes), ())
    label, verdict = verdicts[0]
    reason = f"{label}: {verdict.reason}"
    return Judgement(True, verdict.rule, reason, tuple(notes), tuple(moves), verdict.binaries)


def failed(policy: Policy, error: Exception) -> Judgement:
    """The policy's judgement where judging raised *error*: allowed with a warning when the
    webhook fails open, refused when it fails closed. The error's type is named, never its
    text, which may quote the object."""
    return _unreadable(policy, f"the webhook failed while judging ({type(error).__name__})")


def _unreadable(policy: Policy, why: str) -> Judgement:
    if policy.fail_open:
        return Judgement(True, "unreadable", why, (f"allowed unjudged (fail open): {why}",), ())
    return Judgement(False, "unreadable", f"{why}; the webhook fails closed.", (), ())


@functools.lru_cache(maxsize=4096)
def _move(
    product: str,
    old: Any,
    new: Any,
    history: tuple[ydb.Version, ...],
    policy: Policy,
) -> Verdict:
    # Cached: a rollout asks about the same move for every object it touches, and a verdict
    # depends on nothing else (versions, history and the policy are immutable values).
    if product == "ydb":
        verdict = ydb.check_upgrade(old, new, releases=policy.releases, history=history)
    else:
        verdict = ravendb.check_upgrade(old, new, allow_downgrade=policy.allow_downgrade)
    return move_for_people(product, verdict, old, new)


def _versions(document: Any) -> dict[tuple[str, str], tuple[Any, str | None]]:
    """Each version the object names, by product and label: the version (or what floats there:
    ``dbcompat.floating``), and what was assumed."""
    if not isinstance(document, Mapping):
        raise InvalidEntry("expected a Kubernetes object", "the review")
    found: dict[tuple[str, str], tuple[Any, str | None]] = {}
    for product, images in IMAGES.items():
        module = package(product)
        for entry in read_objects([document], name="the review", images=images):
            version: Any = entry.text
            if isinstance(entry.text, str):
                try:
                    version = module.parse(entry.text, strict=False)
                except DevelopmentBuild:
                    version = Floating.development_build(entry.text)
            found[(product, entry.label)] = (version, entry.note)
    return found


def _beside(document: Any) -> list[str]:
    """What the review cannot judge: the object runs in the cluster of another (a YDB
    ``Database`` beside its ``Storage``), which a review does not carry. Decided by dbcompat: the
    move is judged alone, and kubectl says so; ``dbcompat scan`` judges them together."""
    try:
        cluster = cluster_of(document, PLAIN)
    except BadObject:
        return []
    kind = document.get("kind") if isinstance(document, Mapping) else None
    if cluster is None or cluster[0] == kind:
        return []
    return [
        f"{kind} runs beside {cluster[0]}/{cluster[2]}, which the review does not carry: its "
        "move was judged alone (dbcompat scan judges them together)."
    ]


def _floats(version: Any) -> bool:
    return isinstance(version, Floating)


def _product(key: tuple[str, str]) -> str:
    return key[0]


def _annotation(document: Any, name: str) -> str | None:
    metadata = document.get("metadata") if isinstance(document, Mapping) else None
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    value = annotations.get(name) if isinstance(annotations, Mapping) else None
    return value if isinstance(value, str) else None


def _annotated_items(document: Any, name: str) -> list[str]:
    text = _annotation(document, name) or ""
    if text.count(",") >= MAX_ANNOTATED:
        raise InvalidEntry(f"the annotation lists more than {MAX_ANNOTATED} items", name)
    return [item.strip() for item in text.split(",") if item.strip()]


def _annotated_versions(document: Any, name: str) -> list[ydb.Version]:
    versions = [ydb.parse(item, strict=False) for item in _annotated_items(document, name)]
    # Only the highest counts (the rollback limit), and one version keeps the cache small.
    return [max(versions)] if versions else []


def _annotated_clients(document: Any) -> list[tuple[str, ravendb.Version]]:
    clients = []
    for number, item in enumerate(_annotated_items(document, CLIENTS_ANNOTATION), start=1):
        label, _, version = item.rpartition("=")
        clients.append((label.strip() or f"client {number}", ravendb.as_version(version.strip())))
    return clients
