"""``dbcompat webhook``: serve the validating admission webhook (see ``deploy/``)."""

from __future__ import annotations

import argparse
import contextlib
import signal
from typing import Any, NoReturn

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
    command.add_argument("--host", default="0.0.0.0", action=Once, help="address to listen on")
    command.add_argument("--port", type=int, default=8443, action=Once, help="port (0: any)")
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
        "--read-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="seconds a client has for each read, the TLS handshake included (default 10)",
    )


def _stop(*_: Any) -> NoReturn:
    raise SystemExit(0)


def _webhook(args: argparse.Namespace) -> Printed:
    from .. import ydb
    from ..webhook.review import Policy
    from ..webhook.server import serve

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
    signal.signal(signal.SIGTERM, _stop)
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.host, args.port, args.cert, args.key, policy, read_timeout=args.read_timeout)
    return Printed("")  # its log went to stderr as it served
