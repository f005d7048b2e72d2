"""``dbcompat ravendb ...``: the RavenDB commands."""

from __future__ import annotations

import argparse

from .. import NoUpgradePath, ravendb
from . import common

__all__ = ["register"]


def register(groups: common.Subcommands) -> None:
    """Add ``ravendb`` and its commands to the command groups."""
    commands = common.add_product(groups, "ravendb", "RavenDB client/server compatibility")
    parse = common.add_parse(commands, ravendb.PRODUCT, _parse)

    check = commands.add_parser("check", help="may this client talk to this server?")
    check.add_argument("--client", required=True, metavar="V")
    check.add_argument("--server", required=True, metavar="V")
    check.set_defaults(command=_check)

    plan = commands.add_parser("plan", help="the order of a server upgrade and its clients")
    plan.add_argument("--server", required=True, metavar="V", help="the server's version now")
    plan.add_argument("--to", required=True, metavar="V", help="the server's target version")
    plan.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="[LABEL=]V",
        help="a client's version, optionally labelled (repeat for each client)",
    )
    plan.set_defaults(command=_plan)

    for command in (parse, check, plan):
        command.add_argument("--json", action="store_true", help="print JSON")


def _parse(args: argparse.Namespace) -> int:
    return common.print_fields(ravendb.parse(args.version).as_dict(), args.json)


def _check(args: argparse.Namespace) -> int:
    client, server = ravendb.as_version(args.client), ravendb.as_version(args.server)
    verdict = ravendb.check_compatibility(client=client, server=server)
    subject = f"client {client} with server {server}"
    return common.report_verdict(verdict, args.json, subject, {"client": client, "server": server})


def _plan(args: argparse.Namespace) -> int:
    clients = []
    for number, text in enumerate(args.client, start=1):
        label, _, version = text.rpartition("=")
        clients.append((label or f"client {number}", version))
    server, target = ravendb.as_version(args.server), ravendb.as_version(args.to)
    context = {"server": str(server), "to": str(target)}
    try:
        plan = ravendb.plan_upgrade(server, target, clients)
    except NoUpgradePath as refusal:
        return common.report_no_path(refusal, args.json, context)
    return common.report_plan(plan, args.json, f"Server {server} to {target}", context)
