"""``dbcompat webhook``: serve the validating admission webhook (see ``deploy/``)."""

from __future__ import annotations

import argparse

from ..webhook.connections import MAX_CONNECTIONS
from ..webhook.server import DEADLINE, IDLE_TIMEOUT
from .arguments import Once, Subcommands, add_allow_downgrade, add_command, add_floating, add_image
from .output import Printed

__all__ = ["register"]

EXIT_STATUS = """exit status:
  0  stopped by SIGTERM or SIGINT
  2  bad input: an option, or certificate files that cannot be loaded"""


def register(groups: Subcommands) -> None:
    """Add ``webhook`` to the command groups."""
    command = add_command(
        groups,
        "webhook",
        "serve a Kubernetes validating admission webhook that applies the upgrade rules",
        [
            "dbcompat webhook --cert tls.crt --key tls.key",
            "dbcompat webhook --cert tls.crt --key tls.key --dry-run --skip-namespace dev",
        ],
        _webhook,
    )
    command.epilog = (command.epilog or "").split("exit status:")[0] + EXIT_STATUS
    command.add_argument("--cert", required=True, action=Once, help="the TLS certificate (PEM)")
    command.add_argument("--key", required=True, action=Once, help="its private key (PEM)")
    command.add_argument(
        "--host", default="0.0.0.0", action=Once, help="address to listen on (default %(default)s)"
    )
    command.add_argument(
        "--port", type=int, default=8443, action=Once, help="port (default %(default)s; 0: any)"
    )
    command.add_argument(
        "--releases", metavar="FILE", action=Once, help="a YDB release catalog to add"
    )
    command.add_argument(
        "--candidates", action="store_true", help="allow moves to release candidates"
    )
    failing = command.add_mutually_exclusive_group()
    failing.add_argument(
        "--fail-open",
        dest="fail_open",
        action="store_true",
        help="allow, with a warning, an object whose versions cannot be read",
    )
    failing.add_argument(
        "--fail-closed",
        dest="fail_open",
        action="store_false",
        help="refuse an object whose versions cannot be read (the default)",
    )
    command.add_argument(
        "--skip-namespace",
        metavar="NS",
        action="append",
        default=[],
        help="a namespace whose objects are allowed unjudged (repeatable)",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="allow everything; say what would be refused"
    )
    add_allow_downgrade(command)
    add_floating(command)
    add_image(command)
    command.add_argument(
        "--deadline",
        type=_seconds,
        default=DEADLINE,
        metavar="S",
        help="seconds from a connection's accept, or a request's first byte, to its answer: "
        "TLS handshake, headers and body (default %(default)g)",
    )
    command.add_argument(
        "--idle-timeout",
        type=_seconds,
        default=IDLE_TIMEOUT,
        metavar="S",
        help="seconds a kept-alive connection may wait for its next request (default %(default)g)",
    )
    command.add_argument(
        "--max-connections",
        type=_count,
        default=MAX_CONNECTIONS,
        metavar="N",
        help="connections held at once, about 300 KiB each; past it, the one silent longest is "
        "dropped, a request under way last (default %(default)s)",
    )


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 100_000:
        message = f"{text!r} is not a number of connections from 1 to 100000"
        raise argparse.ArgumentTypeError(message)
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to 3600")
    return seconds


def _webhook(args: argparse.Namespace) -> Printed:
    from .. import ydb
    from ..webhook.review import Policy
    from ..webhook.server import Deadlines, serve

    releases = None
    if args.releases is not None:
        releases = ydb.Catalog.combine(ydb.Catalog.default(), ydb.Catalog.from_file(args.releases))
    policy = Policy(
        releases=releases,
        candidates=args.candidates,
        fail_open=args.fail_open,
        skip_namespaces=frozenset(args.skip_namespace),
        dry_run=args.dry_run,
        allow_downgrade=args.allow_downgrade,
        floating=args.floating,
    )
    deadlines = Deadlines(args.deadline, args.idle_timeout, args.max_connections)
    serve(args.host, args.port, args.cert, args.key, policy, deadlines=deadlines)
    return Printed("")  # its log went to stderr as it served
