"""``dbcompat ydb ...``: the YDB commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import ydb
from ..errors import NoUpgradePath
from ..ydb.catalog import as_catalog
from .common import EXIT_NO, EXIT_YES, print_fields, print_json, report_verdict

__all__ = ["register"]


def register(products: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ydb`` and its commands to the product subparsers."""
    product = products.add_parser("ydb", help="YDB server versions and upgrades")
    commands = product.add_subparsers(dest="ydb_command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="show the components of a YDB version")
    parse.add_argument("version", metavar="VERSION")
    parse.add_argument(
        "--lenient",
        action="store_true",
        help="also read real-world spellings (v24.3.3, 25.1.2.7-rc, stable-24-3, ...)",
    )
    parse.set_defaults(command=_parse)

    check = commands.add_parser("check", help="may a node move straight from CURRENT to TARGET?")
    check.add_argument("current", metavar="CURRENT")
    check.add_argument("target", metavar="TARGET")
    check.set_defaults(command=_check)

    plan = commands.add_parser("plan", help="the versions to install from CURRENT to TARGET")
    plan.add_argument("current", metavar="CURRENT")
    plan.add_argument("target", metavar="TARGET")
    plan.add_argument("--candidates", action="store_true", help="allow release candidates as stops")
    plan.set_defaults(command=_plan)

    for command in (check, plan):
        command.add_argument(
            "--history",
            nargs="+",
            default=[],
            metavar="V",
            help="versions installed at least once before",
        )

    cluster = commands.add_parser("cluster", help="may nodes on these versions run together?")
    cluster.add_argument("versions", nargs="+", metavar="V")
    cluster.set_defaults(command=_cluster)

    releases = commands.add_parser("releases", help="list the release catalog")
    releases.set_defaults(command=_releases)

    for command in (parse, check, plan, cluster, releases):
        command.add_argument("--json", action="store_true", help="print JSON")
    for command in (check, plan, cluster, releases):
        command.add_argument(
            "--releases",
            type=Path,
            metavar="FILE",
            help="a release catalog file (one version a line) instead of the embedded one",
        )


def version_fields(version: ydb.Version) -> dict[str, Any]:
    """The components of *version* as JSON-ready values."""
    return {
        "version": str(version),
        "year": version.year,
        "major": version.major,
        "minor": version.minor,
        "patch": version.patch,
        "release_type": None if version.release_type is None else version.release_type.value,
        "release_candidate": version.release_candidate,
        "enterprise": version.enterprise,
        "hotfix": version.hotfix,
    }


def _parse(args: argparse.Namespace) -> int:
    return print_fields(version_fields(ydb.parse(args.version, strict=not args.lenient)), args.json)


def _check(args: argparse.Namespace) -> int:
    current, target = ydb.as_version(args.current), ydb.as_version(args.target)
    verdict = ydb.check_upgrade(current, target, releases=args.releases, history=args.history)
    return report_verdict(
        verdict,
        args.json,
        f"{current} -> {target}",
        {"current": str(current), "target": str(target)},
    )


def _plan(args: argparse.Namespace) -> int:
    current, target = ydb.as_version(args.current), ydb.as_version(args.target)
    try:
        steps = ydb.plan_upgrade(
            current,
            target,
            releases=args.releases,
            history=args.history,
            candidates=args.candidates,
        )
    except NoUpgradePath as refusal:
        if args.json:
            print_json({"current": str(current), "target": str(target), "error": str(refusal)})
        else:
            print(refusal)
        return EXIT_NO
    if args.json:
        print_json(
            {"current": str(current), "target": str(target), "steps": [str(s) for s in steps]}
        )
    elif not steps:
        print(f"{current} is already {target}: nothing to install.")
    else:
        print(f"From {current}, install in order:")
        for number, step in enumerate(steps, start=1):
            print(f"  {number}. {step}")
    return EXIT_YES


def _cluster(args: argparse.Namespace) -> int:
    versions = [ydb.as_version(text) for text in args.versions]
    verdict = ydb.check_cluster(versions, releases=args.releases)
    return report_verdict(
        verdict, args.json, "cluster", {"versions": sorted({str(v) for v in versions})}
    )


def _releases(args: argparse.Namespace) -> int:
    catalog = as_catalog(args.releases)
    rows = [{"version": str(v), "date": catalog.date(v)} for v in catalog]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['version']:<16} {row['date'] or ''}".rstrip())
    return EXIT_YES if rows else EXIT_NO
