"""``dbcompat ravendb ...``: the RavenDB commands."""

from __future__ import annotations

import argparse

from .. import NoUpgradePath, ravendb
from .common import Subcommands, print_fields, report_no_path, report_plan, report_verdict

__all__ = ["register"]


def register(groups: Subcommands) -> None:
    """Add ``ravendb`` and its commands to the command groups."""
    product = groups.add_parser("ravendb", help="RavenDB client/server compatibility")
    commands = product.add_subparsers(dest="ravendb_command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="show the components of a RavenDB version")
    parse.add_argument("version", metavar="VERSION")
    parse.set_defaults(command=_parse)

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
    return print_fields(ravendb.parse(args.version).as_dict(), args.json)


def _check(args: argparse.Namespace) -> int:
    client, server = ravendb.as_version(args.client), ravendb.as_version(args.server)
    verdict = ravendb.check_compatibility(client=client, server=server)
    return report_verdict(
        verdict,
        args.json,
        f"client {client} with server {server}",
        {"client": str(client), "server": str(server)},
    )


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
        return report_no_path(refusal, args.json, context)
    return report_plan(plan, args.json, f"Server {server} to {target}", context)
