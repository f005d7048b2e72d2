"""``dbcompat scan [PATH ...]``: the versions a repository's files name, and the pull-request
gate: every version a change moves (``--against REV``), or every version moved to a planned
target (``--target``), judged by the rules."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .. import PRODUCTS
from ..hints import move_for_people, verdict_for_people
from .arguments import (
    Once,
    Subcommands,
    add_allow_downgrade,
    add_command,
    add_floating,
    add_format,
    add_image,
)
from .contract import UsageError
from .output import ScanShown

if TYPE_CHECKING:
    from .. import scan

__all__ = ["register"]

EXIT_STATUS = """exit status:
  0  every move allowed (or nothing judged, and every file read)
  1  a move is refused, or a pinned place floats (--floating refuse, the default)
  2  a file could not be read (for example YAML that does not parse), and no move is refused;
     or bad input: an option, a path, a revision git does not know"""


def register(groups: Subcommands) -> None:
    """Add ``scan`` to the command groups."""
    command = add_command(
        groups,
        "scan",
        "find every YDB and RavenDB version in files, and judge the moves a change makes",
        [
            "dbcompat scan deploy/",
            "dbcompat scan --against origin/main --format sarif > dbcompat.sarif",
            "dbcompat scan k8s/ --target ydb=25.1.4.18 --format markdown",
        ],
        _scan,
    )
    command.epilog = (command.epilog or "").split("exit status:")[0] + EXIT_STATUS
    command.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files and folders (default: the current folder; .gitignore is honoured in git)",
    )
    judge = command.add_mutually_exclusive_group()
    judge.add_argument(
        "--against",
        metavar="REV",
        action=Once,
        help="judge every version that differs from the same place at git revision REV",
    )
    judge.add_argument(
        "--target",
        metavar="[PRODUCT=]VERSION",
        action="append",
        help="judge every version found as a move to VERSION (ydb=25.1.4.18, ravendb=6.0, "
        "ydb=latest, ydb=26, as check takes them); the product may be left out when the files "
        "name one product only",
    )
    add_allow_downgrade(command)
    add_floating(command)
    add_image(command)
    add_format(command)


def _scan(args: argparse.Namespace) -> ScanShown:
    # Here, not above: the scan and its reports load both products' rules, which every other
    # command would pay for at start.
    from .. import scan

    found = scan.scan(args.paths)
    moves: tuple[scan.Move, ...] | None = None
    options = {"allow_downgrade": args.allow_downgrade, "floating": args.floating}
    if args.against is not None:
        before = scan.scan_revision(found, args.against)
        moves = scan.judge_changes(before, found, **options)
    elif args.target:
        moves = scan.judge_target(found, _targets(args.target, found), **options)
    else:  # nothing to move, but a place that floats is judged the same in every door
        moves = scan.judge_floating_places(found, floating=args.floating) or None
    # The state the files describe (after the change, with --against): objects of one cluster.
    clusters = scan.judge_clusters(found)
    if moves is not None:  # in a person's words: the flags, and the command that plans the way
        moves = tuple(
            move._replace(
                verdict=move_for_people(move.finding.product, move.verdict, move.before, move.after)
            )
            for move in moves
        )
    clusters = tuple(each._replace(verdict=verdict_for_people(each.verdict)) for each in clusters)
    return ScanShown(found, moves, clusters)


def _targets(given: list[str], found: scan.Scan) -> dict[str, Any]:
    """The target of each product from ``--target [PRODUCT=]VERSION``; a bare version is the
    target of the one product the files name."""
    targets: dict[str, Any] = {}
    named = sorted({finding.product for finding in found.findings})
    for each in given:
        product, sign, version = each.rpartition("=")
        if not sign:
            if len(named) > 1:
                raise UsageError(
                    f"--target {each}: the files name {' and '.join(named)} versions; say which "
                    f"product the target is of ({named[0]}={each})"
                )
            product = named[0] if named else PRODUCTS[0]
        if product not in PRODUCTS:
            raise UsageError(
                f"--target {each}: no product {product!r} (one of {', '.join(PRODUCTS)})"
            )
        if product in targets:
            raise UsageError(f"--target is given twice for {product}")
        targets[product] = version
    return targets
