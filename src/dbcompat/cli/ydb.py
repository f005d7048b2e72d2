"""``dbcompat ydb ...``: the YDB commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import NoUpgradePath, ydb
from . import common

__all__ = ["register"]


def register(groups: common.Subcommands) -> None:
    """Add ``ydb`` and its commands to the command groups."""
    commands = common.add_product(groups, "ydb", "YDB server versions and upgrades")
    parse = common.add_parse(commands, ydb.PRODUCT, _parse)
    parse.add_argument(
        "--lenient",
        action="store_true",
        help="also read real-world spellings (v24.3.3, 25.1.2.7-rc, stable-24-3, ...)",
    )

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


def _parse(args: argparse.Namespace) -> int:
    return common.print_fields(
        ydb.parse(args.version, strict=not args.lenient).as_dict(), args.json
    )


def _check(args: argparse.Namespace) -> int:
    current, target = ydb.as_version(args.current), ydb.as_version(args.target)
    verdict = ydb.check_upgrade(current, target, releases=args.releases, history=args.history)
    inputs = {"current": current, "target": target}
    return common.report_verdict(verdict, args.json, f"{current} -> {target}", inputs)


def _plan(args: argparse.Namespace) -> int:
    current, target = ydb.as_version(args.current), ydb.as_version(args.target)
    context = {"current": str(current), "target": str(target)}
    try:
        plan = ydb.plan_upgrade(
            current,
            target,
            releases=args.releases,
            history=args.history,
            candidates=args.candidates,
        )
    except NoUpgradePath as refusal:
        return common.report_no_path(refusal, args.json, context)
    return common.report_plan(plan, args.json, f"From {current} to {target}", context)


def _cluster(args: argparse.Namespace) -> int:
    versions = [ydb.as_version(text) for text in args.versions]
    verdict = ydb.check_cluster(versions, releases=args.releases)
    return common.report_verdict(verdict, args.json, "cluster", {"versions": sorted(set(versions))})


def _releases(args: argparse.Namespace) -> int:
    catalog = ydb.Catalog.from_file(args.releases) if args.releases else ydb.Catalog.default()
    rows = [{"version": str(v), "date": catalog.date(v)} for v in catalog]
    if args.json:
        common.print_json(rows)
    else:
        for row in rows:
            common.say(f"{row['version']:<16} {row['date'] or ''}".rstrip())
    return common.EXIT_YES if rows else common.EXIT_NO
