"""``dbcompat ydb releases``, and what every YDB command shares of the release catalog: the
options that teach it releases, and the pictures drawn from it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .. import ydb
from ..ydb.catalog import line_name
from . import arguments, contract
from .output import Printed

if TYPE_CHECKING:
    import datetime

__all__ = ["PICTURES", "add_catalog_options", "catalog_of", "drawn", "releases"]


def add_catalog_options(command: argparse.ArgumentParser) -> None:
    catalog = command.add_mutually_exclusive_group()
    catalog.add_argument(
        "--releases",
        action=arguments.Once,
        metavar="FILE",
        help="releases to add to the embedded catalog: one version a line (optionally with its "
        "date), or the CSV format of the embedded catalog (version,date,source)",
    )
    catalog.add_argument(
        "--releases-only",
        action=arguments.Once,
        metavar="FILE",
        help="a release catalog file to use instead of the embedded one",
    )


def catalog_of(args: argparse.Namespace) -> ydb.Catalog:
    if args.releases_only is not None:
        return ydb.Catalog.from_file(args.releases_only)
    if args.releases is not None:
        return ydb.Catalog.combine(ydb.Catalog.default(), ydb.Catalog.from_file(args.releases))
    return ydb.Catalog.default()


PICTURES = ("mermaid", "dot")


def drawn(graph: Any, kind: str) -> Printed:
    from .. import pictures

    return Printed(pictures.to_mermaid(graph) if kind == "mermaid" else pictures.to_dot(graph))


def releases(args: argparse.Namespace) -> Printed:
    catalog = catalog_of(args)
    if args.output in PICTURES:
        from ..ydb.pictures import releases_graph

        return drawn(releases_graph(catalog), args.output)
    rows = [
        {
            "version": str(version),
            "date": catalog.date(version),
            "source": catalog.source(version),
            "release_candidate": version.release_candidate,
            "last_final_minor": version.is_final and catalog.is_last_minor(version) is True,
            "newest_of_major": version == catalog.newest(version.line),
        }
        for version in catalog
    ]
    newest = catalog.latest(candidates=True)
    stale = _stale(catalog.date(newest) if newest else None)
    document = {
        "kind": "releases",
        "product": ydb.PRODUCT,
        "newest": None if newest is None else str(newest),
        "stale": stale,
        "releases": rows,
    }
    lines = []
    for version, row in zip(catalog, rows, strict=True):
        # Several builds share a last minor: each names it, and the one plans stop on says so.
        minor = ".".join(str(number) for number in version.release[:3] if number is not None)
        marks = [
            mark
            for mark, wanted in (
                (f"last minor {minor}", row["last_final_minor"]),
                (f"newest of {line_name(version.line)}: plans stop here", row["newest_of_major"]),
                ("release candidate", row["release_candidate"]),
            )
            if wanted
        ]
        lines.append(f"{row['version']:<16} {row['date'] or '':<10}  {', '.join(marks)}".rstrip())
    warning = None
    if stale and newest is not None:
        warning = (
            f"dbcompat: warning: the catalog's newest release, {newest}, dates from "
            f"{catalog.date(newest)}, over a year ago; add newer ones with --releases FILE"
        )
    status = contract.EXIT_YES if rows else contract.EXIT_NO
    return Printed("\n".join(lines), status, document, warning)


def _stale(date: str | None) -> bool:
    if not date:
        return False
    year, month, *_ = (int(part) for part in date.split("-"))
    today = _today()
    return (today.year - year) * 12 + today.month - month > 12


def _today() -> datetime.date:
    """The day the catalog's age is told on: the tests set it."""
    import datetime  # here: only for the catalog's age

    return datetime.date.today()
