"""``dbcompat ravendb ...``: the RavenDB commands."""

from __future__ import annotations

import argparse
from typing import Any, TypeAlias

from .. import InvalidVersion, NoUpgradePath, ravendb
from ..answers import combine
from ..errors import without_password
from ..floating import Floating
from ..words import counted
from . import arguments, inputs
from .output import (
    FoundShown,
    NoPlanShown,
    PlanShown,
    VerdictShown,
    VersionShown,
    complain,
)
from .servers import ServersShown

__all__ = ["register"]


def register(groups: arguments.Subcommands) -> None:
    """Add ``ravendb`` and its commands to the command groups."""
    commands = arguments.add_product(groups, "ravendb", "RavenDB client/server compatibility")

    arguments.add_parse(
        commands,
        ravendb.PRODUCT,
        [
            "dbcompat ravendb parse 4.1.9.41023",
            "dbcompat ravendb parse --lenient 'RavenDB 6.0.105'",
        ],
        "RavenDB 6.0.105, 6.0.105 (60071)",
        _parse,
    )

    check = arguments.add_command(
        commands,
        "check",
        "may these clients talk to this server?",
        [
            "dbcompat ravendb check --client 4.1.7 --server 4.1.6",
            "dbcompat ravendb check --client api=5.4 --client web=6.0 --server 6.0 --json",
        ],
        _check,
    )
    _add_clients(check)
    check.add_argument(
        "--server", action=arguments.Once, required=True, metavar="V", help="the server's version"
    )

    plan = arguments.add_command(
        commands,
        "plan",
        "the order in which the server (CURRENT to TARGET) and its clients move",
        [
            "dbcompat ravendb plan 4.1.9 5.4.110 --client api=4.1.7",
            "dbcompat ravendb plan https://a.example:443 7.0 --ca ca.pem --client 6.0 --json",
        ],
        _plan,
    )
    plan.add_argument(
        "current", metavar="CURRENT", help="the server's version now, or its URL to ask it"
    )
    plan.add_argument("target", metavar="TARGET", help="the server's target version")
    arguments.add_allow_downgrade(plan)
    _add_clients(plan)
    arguments.add_find(commands, ravendb.PRODUCT, _find)

    probe = arguments.add_command(
        commands,
        "probe",
        "ask RavenDB servers which versions they and their cluster's nodes run",
        [
            "dbcompat ravendb probe http://127.0.0.1:8080",
            "dbcompat ravendb probe https://a:443 --ca ca.pem --json",
        ],
        _probe,
    )
    probe.add_argument("urls", nargs="+", metavar="URL", help="a server's URL")
    probe.add_argument(
        "--follow-topology",
        action="store_true",
        help="also ask the nodes the cluster's topology names at other addresses (never with "
        "the client certificate)",
    )
    arguments.add_connection_options(probe, certificates=True)
    for asking in (check, plan):
        arguments.add_connection_options(asking, certificates=True)
    for judging in (check, probe):
        arguments.add_format(judging)


def _probed(
    args: argparse.Namespace, *urls: str, follow_topology: bool = False
) -> tuple[ravendb.ServerProbe, ...]:
    return ravendb.probe_all(
        urls,
        cert=args.cert,
        key=args.key,
        ca=args.ca,
        pfx=args.pfx,
        pfx_password=inputs.pfx_password(args),
        insecure=args.insecure,
        timeout=args.timeout,
        follow_topology=follow_topology,
    )


def _probe(args: argparse.Namespace) -> ServersShown:
    probes = _probed(args, *args.urls, follow_topology=args.follow_topology)
    versions = [node.version for each in probes for node in each.nodes] or [
        each.version for each in probes
    ]
    shown = [without_password(url) for url in args.urls]
    document = _document("probe", {"urls": [{"given": url, "read": url} for url in shown]})
    return ServersShown(probes, ravendb.check_nodes(versions), document)


def _add_clients(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="[LABEL=]V",
        help="a client's version, optionally labelled; repeat for each client",
    )
    arguments.add_inventory_options(command, "clients")


def _find(args: argparse.Namespace) -> FoundShown:
    return FoundShown(ravendb.PRODUCT, inputs.lines_of(args.files), ravendb.find_all)


def _document(command: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"product": ravendb.PRODUCT, "command": command, "inputs": inputs}


Clients: TypeAlias = list[tuple[str, str, ravendb.Version]]


def _clients(args: argparse.Namespace, required: bool) -> tuple[Clients, list[dict[str, str]]]:
    """The clients a command names, and the invalid entries skipped with --skip-invalid."""
    clients: Clients = []
    skipped: list[dict[str, str]] = []
    if not required and not args.client and not args.sources:
        return clients, skipped
    for entry in inputs.entries(args, "ravendb", "client"):
        try:
            text = entry.text
            if isinstance(text, Floating):  # a client runs one line at least: it must say which
                if text.line is None:
                    reason = f"{text.why}: a client's version must be pinned"
                    raise InvalidVersion(str(text), reason, product=ravendb.PRODUCT)
                text = text.line
            clients.append((entry.label, text, ravendb.as_version(text)))
        except InvalidVersion as error:
            where = f"{entry.where} ({entry.label})"
            if not args.skip_invalid:
                raise error.located(where) from None
            skipped.append({"where": entry.where, "label": entry.label, "reason": error.reason})
            if not args.json:
                complain(f"dbcompat: skipped {where}: {error.reason}")
    labels = [label for label, *_ in clients]
    if len(set(labels)) != len(labels):
        raise ValueError("a client label is given twice; give each client its own label")
    return clients, skipped


def _client_inputs(clients: list[tuple[str, str, ravendb.Version]]) -> list[dict[str, str]]:
    ordered = sorted(clients, key=lambda client: client[2])
    return [{"label": label, **inputs.given_and_read(text, v)} for label, text, v in ordered]


def _parse(args: argparse.Namespace) -> VersionShown:
    version = ravendb.parse(args.version, strict=args.strict)
    return VersionShown(ravendb.PRODUCT, args.version, version)


def _check(args: argparse.Namespace) -> VerdictShown:
    server = (
        _probed(args, args.server)[0].version
        if inputs.is_url(args.server)
        else ravendb.as_version(args.server)
    )
    clients, skipped = _clients(args, required=True)
    given = {
        "server": inputs.given_and_read(args.server, server),
        "clients": _client_inputs(clients),
        "skipped": skipped,
    }
    checks = [
        (label, ravendb.check_compatibility(client=client, server=server))
        for label, _, client in clients
    ]
    if len(checks) == 1:
        verdict = checks[0][1]
        subject = f"client {clients[0][2]} with server {server}"
        return VerdictShown(verdict, subject, _document("check", given))
    verdict = combine(
        checks,
        f"Server {server} serves all {len(checks)} clients.",
        lambda count, total, labels: (
            f"Server {server} does not serve {count:,} of {counted(total, 'client')} ({labels})"
        ),
    )
    subject = f"{len(checks)} clients with server {server}"
    return VerdictShown(verdict, subject, _document("check", given), checks)


def _plan(args: argparse.Namespace) -> PlanShown | NoPlanShown:
    current = (
        _probed(args, args.current)[0].version
        if inputs.is_url(args.current)
        else ravendb.as_version(args.current)
    )
    target = ravendb.as_version(args.target)
    clients, skipped = _clients(args, required=False)
    given = {
        "current": inputs.given_and_read(args.current, current),
        "target": inputs.given_and_read(args.target, target),
        "clients": _client_inputs(clients),
        "skipped": skipped,
    }
    document = _document("plan", given)
    try:
        pairs = [(label, v) for label, _, v in clients]
        plan = ravendb.plan_upgrade(current, target, pairs, allow_downgrade=args.allow_downgrade)
    except NoUpgradePath as refusal:
        return NoPlanShown(refusal, document)
    return PlanShown(plan, f"Server {current} to {target}", document)
