"""``dbcompat ravendb ...``: the RavenDB commands."""

from __future__ import annotations

import argparse

from .. import ravendb
from ..errors import NoUpgradePath
from .common import EXIT_NO, EXIT_YES, print_fields, print_json, report_verdict

__all__ = ["register"]


def register(products: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ravendb`` and its commands to the product subparsers."""
    product = products.add_parser("ravendb", help="RavenDB client/server compatibility")
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
    version = ravendb.parse(args.version)
    fields = {
        "version": str(version),
        "major": version.major,
        "minor": version.minor,
        "patch": version.patch,
        "build": version.build,
        "stage": None if version.stage is None else version.stage.value,
        "stage_number": version.stage_number,
        "stage_build": version.stage_build,
        "nightly": version.nightly,
    }
    return print_fields(fields, args.json)


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
    try:
        plan = ravendb.plan_upgrade(args.server, args.to, clients)
    except NoUpgradePath as refusal:
        if args.json:
            print_json({"server": args.server, "to": args.to, "error": str(refusal)})
        else:
            print(refusal)
        return EXIT_NO
    if args.json:
        print_json(plan.as_dict())
        return EXIT_YES
    if plan.lockstep:
        print("Lockstep: the server and all clients move to the new major together.")
    if not plan.steps:
        print("Nothing to do.")
    for number, step in enumerate(plan, start=1):
        need = "required" if step.required else "recommended"
        print(f"  {number}. {step.component}: {step.from_version} -> {step.to_version} ({need})")
    return EXIT_YES
