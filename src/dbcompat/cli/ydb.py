"""``dbcompat ydb ...``: the YDB commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import Any

from .. import NoUpgradePath, Verdict, ydb
from ..answers import combine
from ..entries import Entry
from ..errors import without_password
from ..hints import plan_command
from ..words import counted, refused_of
from . import arguments, contract, inputs, ydb_releases
from .output import (
    FleetShown,
    FoundShown,
    NoPlanShown,
    PlanShown,
    Printed,
    VerdictShown,
    VersionShown,
)

__all__ = ["register"]


def register(groups: arguments.Subcommands) -> None:
    """Add ``ydb`` and its commands to the command groups."""
    commands = arguments.add_product(groups, "ydb", "YDB server versions, upgrades and clusters")

    arguments.add_parse(
        commands,
        ydb.PRODUCT,
        ["dbcompat ydb parse 24.3.14.2-lts", "dbcompat ydb parse --lenient v.25.1.3.2 --json"],
        "v24.3.3, 25.1.2.7-rc, stable-24-3, 25.3.1.ent.3",
        _parse,
    )

    check = arguments.add_command(
        commands,
        "check",
        "may a node move straight from CURRENT to TARGET?",
        ["dbcompat ydb check 24.3.15.5 24.4.4.12", "dbcompat ydb check 25.2.1.26 latest --json"],
        _check,
    )
    plan = arguments.add_command(
        commands,
        "plan",
        "the versions to install, in order, to go from CURRENT to TARGET",
        ["dbcompat ydb plan 24.3.11.13 25.2.1.26", "dbcompat ydb plan 25.2.1.26 24.4 --json"],
        _plan,
    )
    for option, side, meaning in (
        (
            "--from",
            "OLD",
            "instead of CURRENT and TARGET: a manifest or inventory of the nodes now",
        ),
        ("--to", "NEW", "the same after the change: every node's move is judged, matched by label"),
    ):
        check.add_argument(
            option, dest=side.lower(), action=arguments.Once, metavar=side, help=meaning
        )
    arguments.add_image(check)
    for command in (check, plan):
        command.add_argument(
            "current",
            metavar="CURRENT",
            nargs="?" if command is check else None,
            help="the version the node runs, or the URL of a node's viewer to ask the cluster",
        )
        command.add_argument(
            "target",
            metavar="TARGET",
            nargs="?" if command is check else None,
            help="the version to go to; 'latest' (the newest final release) or a bare year "
            "('25': its newest major) also do",
        )
        command.add_argument(
            "--history",
            action="append",
            default=[],
            metavar="V[,V...]|FILE",
            help="versions installed at least once before: a comma list, or a file (@FILE or a "
            "path) of one version a line; repeat to add more",
        )
    plan.add_argument("--candidates", action="store_true", help="allow release candidates as stops")
    for command in (check, plan):
        add_token_option(command)
        arguments.add_connection_options(command, certificates=False)

    cluster = arguments.add_command(
        commands,
        "cluster",
        "may nodes on these versions run together, as during a rolling upgrade?",
        [
            "dbcompat ydb cluster 24.4.4.12 25.1.4.18",
            "kubectl get pods -o json | dbcompat ydb cluster -",
        ],
        _cluster,
    )
    cluster.add_argument(
        "versions",
        nargs="*",
        metavar="[LABEL=]V",
        help="each node's version, optionally labelled; '-' reads them from standard input",
    )
    arguments.add_inventory_options(cluster, "nodes")
    for judging in (check, cluster):
        arguments.add_floating(judging)
        arguments.add_format(judging)

    find = arguments.add_find(commands, ydb.PRODUCT, _find)
    arguments.add_strictness(find, "v24.3.3, 25.1.2.7-rc, stable-24-3")

    probe = arguments.add_command(
        commands,
        "probe",
        "ask a YDB cluster's viewer which versions its nodes run, and judge them as a cluster",
        ["dbcompat ydb probe http://127.0.0.1:8765", "dbcompat ydb probe https://ydb:8765 --json"],
        _probe,
    )
    probe.add_argument("url", metavar="URL", help="the viewer (monitoring port) of a node")
    add_token_option(probe)
    arguments.add_connection_options(probe, certificates=False)
    ydb_releases.add_catalog_options(probe)
    arguments.add_format(probe)

    releases = arguments.add_command(
        commands,
        "releases",
        "list the release catalog, marking each major's last minor and the release candidates",
        ["dbcompat ydb releases", "dbcompat ydb releases --releases mine.csv --json"],
        ydb_releases.releases,
    )
    for command in (check, plan, cluster, releases):
        ydb_releases.add_catalog_options(command)
    for drawn in (plan, releases):
        drawn.add_argument(
            "--format",
            choices=("text", "json", "mermaid", "dot"),
            default=None,
            action=arguments.Once,
            help="text (default), json (as --json), or a picture: mermaid or dot (Graphviz)",
        )


def add_token_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--token-file",
        metavar="FILE",
        help="a file holding the token (else $YDB_TOKEN); never give a token on the command line",
    )


def _history(values: list[str]) -> list[str]:
    entries = []
    for value in values:
        path = value.removeprefix("@")
        if value.startswith("@") or os.path.isfile(path):
            try:
                with open(path, encoding="utf-8-sig") as stream:
                    lines = stream.read().splitlines()
            except UnicodeDecodeError as error:
                raise inputs.not_utf8(path, error) from None
            entries += [line.split("#", 1)[0].strip() for line in lines]
        else:
            entries += [part.strip() for part in value.split(",")]
    return [entry for entry in entries if entry]


def _document(command: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"product": ydb.PRODUCT, "command": command, "inputs": inputs}


def _parse(args: argparse.Namespace) -> VersionShown:
    return VersionShown(ydb.PRODUCT, args.version, ydb.parse(args.version, strict=args.strict))


def _moves(args: argparse.Namespace) -> tuple[Any, ...]:
    catalog = ydb_releases.catalog_of(args)
    current = (
        _running(args, catalog) if inputs.is_url(args.current) else ydb.as_version(args.current)
    )
    history = [(text, ydb.as_version(text)) for text in _history(args.history)]
    given: dict[str, Any] = {
        "current": inputs.given_and_read(args.current, current),
        "history": [
            inputs.given_and_read(text, version)
            for text, version in sorted(history, key=lambda pair: pair[1])
        ],
    }
    return catalog, current, [version for _, version in history], given


def _check(args: argparse.Namespace) -> VerdictShown:
    if args.old is not None or args.new is not None:
        return _check_changes(args)
    if args.current is None or args.target is None:
        raise contract.UsageError(
            "give CURRENT and TARGET, or --from OLD and --to NEW (see: dbcompat ydb check --help)"
        )
    try:
        catalog, current, history, given = _moves(args)
    except ClusterRefused as refusal:
        return VerdictShown(
            refusal.verdict,
            "cluster",
            _document("check", {"from": [without_password(args.current)]}),
        )
    try:
        target = ydb.resolve_target(args.target, releases=catalog)
    except NoUpgradePath:
        target = None
    given["target"] = inputs.given_and_read(args.target, target if target else args.target)
    verdict = ydb.check_upgrade(current, target or args.target, releases=catalog, history=history)
    from ..ydb.rules import PLANNABLE  # here: a parse needs no rule

    planned = verdict.rule in PLANNABLE
    command = plan_command("ydb", current, target or args.target, _flags(args)) if planned else None
    subject = f"{current} -> {target or args.target}"
    return VerdictShown(verdict, subject, _document("check", given), command=command)


def _flags(args: argparse.Namespace) -> list[str]:
    """The user's own flags that change a plan: a suggested command must run as printed."""
    flags = []
    for name in ("releases", "releases_only"):
        if getattr(args, name) is not None:
            flags += [f"--{name.replace('_', '-')}", getattr(args, name)]
    for value in args.history:
        flags += ["--history", value]
    return flags


def _check_changes(args: argparse.Namespace) -> VerdictShown:
    if args.old is None or args.new is None or args.current is not None:
        raise contract.UsageError(
            "--from OLD and --to NEW go together, without CURRENT and TARGET "
            "(see: dbcompat ydb check --help)"
        )
    sides = [inputs.inventory(name, "ydb") for name in (args.old, args.new)]
    catalog = ydb_releases.catalog_of(args)
    changes = ydb.check_changes(*sides, releases=catalog, floating=args.floating)
    subject = f"{counted(len(changes.moves), 'node')} judged"
    document = _document("check", {"from": [args.old, args.new]})
    return VerdictShown(changes.verdict, subject, document, changes.moves)


def _plan(args: argparse.Namespace) -> PlanShown | NoPlanShown | Printed:
    try:
        catalog, current, history, given = _moves(args)
    except ClusterRefused as refusal:
        return NoPlanShown(refusal, _document("plan", {"from": [without_password(args.current)]}))
    given["target"] = {"given": args.target, "read": None}
    document = _document("plan", given)
    try:
        target = ydb.resolve_target(args.target, releases=catalog)
        given["target"] = inputs.given_and_read(args.target, target)
        plan = ydb.plan_upgrade(
            current, target, releases=catalog, history=history, candidates=args.candidates
        )
    except NoUpgradePath as refusal:
        return NoPlanShown(refusal, document)
    # The version the plan lands on, whatever the words or the partial version that named it.
    landing = plan.versions[-1] if plan.versions else current
    given["target"] = inputs.given_and_read(args.target, landing)
    named = "" if args.target.strip() == str(landing) else f" ({args.target.strip()})"
    if args.output in ydb_releases.PICTURES:
        from ..ydb.pictures import plan_graph

        graph = plan_graph(current, target, releases=catalog, candidates=args.candidates)
        return ydb_releases.drawn(graph, args.output)
    return PlanShown(plan, f"From {current} to {landing}{named}", document)


def _cluster(args: argparse.Namespace) -> FleetShown | VerdictShown:
    document = _document("cluster", {"from": inputs.sources(args)})
    options = {
        "releases": ydb_releases.catalog_of(args),
        "skip_invalid": args.skip_invalid,
        "floating": args.floating,
    }
    # Objects of different namespaces are different clusters: each is judged on its own. The
    # entries stream into one fleet as they are read (a list of millions of nodes is never
    # held); beside it, the few Kubernetes objects are kept whole, and of the rest only their
    # labels, which the fleet keeps anyway, their version texts, interned, and their notes: three
    # references a node, to judge them again should namespaces split the input.
    groups: dict[str, list[Any]] = {}
    labels: list[Any] = []
    texts: list[Any] = []
    notes: list[str | None] = []

    def read() -> Iterator[Entry]:
        for entry in inputs.progress(inputs.entries(args, "ydb", "node"), args.json):
            if entry.namespace:
                groups.setdefault(f"namespace {entry.namespace}", []).append(entry)
            else:
                labels.append(entry.label)
                texts.append(sys.intern(entry.text) if isinstance(entry.text, str) else entry.text)
                notes.append(entry.note)
            yield entry

    fleet = ydb.check_fleet(read(), **options)
    if len(groups) < 2:
        return FleetShown(fleet, document)
    if labels:
        unplaced = zip(labels, texts, notes, strict=True)
        groups["no namespace"] = [Entry(label, text, "", note) for label, text, note in unplaced]
    in_order = sorted(groups, key=lambda label: (label == "no namespace", label))
    checks = [(label, ydb.check_fleet(groups[label], **options).verdict) for label in in_order]
    verdict = combine(
        checks,
        f"Every cluster is allowed ({counted(len(checks), 'namespace')}).",
        refused_of("cluster"),
    )
    return VerdictShown(
        verdict, f"{counted(len(checks), 'cluster')} by namespace", document, checks
    )


class ClusterRefused(Exception):
    """The nodes behind a URL do not agree on one major: there is no one running version."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.reason)
        self.verdict = verdict


def _connection(args: argparse.Namespace) -> dict[str, Any]:
    """How to reach a viewer: the token (from --token-file, else $YDB_TOKEN), CA and timeout."""
    token = os.environ.get("YDB_TOKEN")
    if args.token_file is not None:
        with open(args.token_file, encoding="utf-8") as stream:
            token = stream.read().strip()
    return {"token": token, "ca": args.ca, "insecure": args.insecure, "timeout": args.timeout}


def _running(args: argparse.Namespace, catalog: ydb.Catalog) -> ydb.Version:
    """The version a cluster runs, from its viewer: the lowest of its nodes, which gates every
    upgrade; refused with the cluster's verdict when the nodes run more than one major."""
    # Only the spread of versions matters here, which a recent viewer tells in one reply.
    found = ydb.spread(args.current, **_connection(args))
    if any(group.version is None for group in found.groups):
        # Development builds: refused beside releases, and alone there is no version to move from.
        builds = [group.version or group.reported for group in found.groups]
        cluster = ydb.check_cluster(builds, releases=catalog)
        if not cluster:
            raise ClusterRefused(cluster)
        raise ValueError(f"{found.url}: every node runs a development build, which has no version")
    versions = [group.version for group in found.groups if group.version is not None]
    running = ydb.running_version(versions, releases=catalog)
    if isinstance(running, Verdict):
        raise ClusterRefused(running)
    return running


def _probe(args: argparse.Namespace) -> FleetShown:
    found = ydb.probe(args.url, **_connection(args))
    # A development build has no version, but is a node of the cluster: judged, not left out.
    fleet = ydb.check_fleet(
        [
            (f"node {node.node_id} ({node.host or 'no host'})", node.version or node.reported)
            for node in found.nodes
        ],
        releases=ydb_releases.catalog_of(args),
    )
    return FleetShown(fleet, _document("probe", {"from": [without_password(args.url)]}))


def _find(args: argparse.Namespace) -> FoundShown:
    def find(line: str) -> Any:
        return ydb.find_all(line, strict=args.strict)

    return FoundShown(ydb.PRODUCT, inputs.lines_of(args.files), find)
