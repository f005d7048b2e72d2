"""The exceptions dbcompat raises: every one is a ValueError, so callers may catch either."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

__all__ = [
    "DevelopmentBuild",
    "InvalidCatalog",
    "InvalidVersion",
    "NoUpgradePath",
    "ServerError",
    "check_many",
    "quote",
]

T = TypeVar("T")


class InvalidVersion(ValueError):
    """A version string that the product's grammar does not accept.

    The message quotes the input as ``repr()`` does and, where the grammar can tell, names the
    1-based column and what was expected there.

    >>> from dbcompat import ydb
    >>> try:
    ...     ydb.parse("24.3-LTS")
    ... except InvalidVersion as error:
    ...     print(error.column, error.reason)
    6 expected one of 'lts', 'stable', 'testing', found 'L'; this real-world spelling is ...
    """

    def __init__(
        self,
        text: str,
        reason: str,
        *,
        product: str,
        column: int | None = None,
        source: str | None = None,
    ) -> None:
        where = f"at column {column}, " if column is not None else ""
        origin = f" ({_cut(source)})" if source else ""
        super().__init__(f"invalid {product} version {quote(text)}{origin}: {where}{reason}")
        self.text = text
        self.reason = reason
        self.product = product
        self.column = column
        self.source = source

    def located(self, source: str) -> InvalidVersion:
        """The same error, saying where the input came from (``"releases.txt, line 3"``)."""
        return InvalidVersion(
            self.text, self.reason, product=self.product, column=self.column, source=source
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_invalid_version,
            (self.text, self.reason, self.product, self.column, self.source),
        )


def _rebuild_invalid_version(
    text: str, reason: str, product: str, column: int | None, source: str | None
) -> InvalidVersion:
    return InvalidVersion(text, reason, product=product, column=column, source=source)


def quote(text: str) -> str:
    """The input as repr() shows it, cut short so that a hostile megabyte does not fill a log."""
    if len(text) <= _QUOTED_LENGTH:
        return repr(text)
    return f"{text[:_QUOTED_LENGTH]!r}... ({len(text)} characters)"


_QUOTED_LENGTH = 64


def _cut(source: str) -> str:
    """Where an input came from, cut short as ``quote`` cuts the input: a label of a megabyte
    (a line of a hostile inventory) must not fill a log either."""
    if len(source) <= 2 * _QUOTED_LENGTH:
        return source
    return f"{source[: 2 * _QUOTED_LENGTH]}... ({len(source):,} characters)"


def check_many(values: Iterable[T], what: str, expected: str) -> Iterable[T]:
    """*values* itself, unless it is one text, which is iterable too: read item by item, it
    would be one letter after another (``"24.4"`` as the versions ``2``, ``4``, ``.``, ``4``).

    >>> check_many("24.4", "nodes", "an iterable of YDB versions")
    Traceback (most recent call last):
    ...
    TypeError: nodes must be an iterable of YDB versions, not one str ('24.4')
    """
    if isinstance(values, (str, bytes)):
        text = values if isinstance(values, str) else values.decode("latin-1")
        raise TypeError(
            f"{what} must be {expected}, not one {type(values).__name__} ({quote(text)})"
        )
    return values


class DevelopmentBuild(InvalidVersion):
    """A development build such as ``trunk``: recognised, but it has no version to reason about."""

    def __init__(self, text: str, product: str) -> None:
        super().__init__(
            text,
            "a development build has no version number; the compatibility rules apply to releases",
            product=product,
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.text, self.product))


class NoUpgradePath(ValueError):
    """No sequence of allowed steps leads from the current version to the target."""


class InvalidCatalog(ValueError):
    """A release catalog that contradicts itself: one version with two different dates."""


def without_password(url: str) -> str:
    """*url* as it may be shown: a password in its user part replaced by ``***``.

    >>> without_password("https://admin:s3cret@ydb.example:8765/viewer")
    'https://admin:***@ydb.example:8765/viewer'

    The user part runs to the last ``@``, so that a password written with ``/``, ``?`` or ``@``
    unescaped is hidden whole (a path or query holding ``@`` is hidden with it: safe, if odd):

    >>> without_password("http://admin:pa/s?s@word@host/")
    'http://admin:***@host/'
    """
    scheme, separator, rest = url.partition("://")
    user, at, host = rest.rpartition("@")
    if not separator or not at or ":" not in user:
        return url
    return f"{scheme}://{user.split(':', 1)[0]}:***@{host}"


class ServerError(Exception):
    """A server that could not be reached or read: its URL and one sentence why.

    Not a ValueError: the input may be right and the server down. Secrets never appear in it.
    ``status`` is the HTTP status when the server answered with an error, else None.
    """

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        url = without_password(url)
        super().__init__(f"{url} {reason}")
        self.url = url
        self.reason = reason
        self.status = status

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.url, self.reason, self.status))
