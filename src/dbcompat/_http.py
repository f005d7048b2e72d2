"""Reading JSON from a server, as a careful client must: one deadline for the whole request, a
limit on the body (decompressed too), no redirects followed, and one plain sentence for every
way it can fail. The standard library only: the core install stays Lark alone.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import socket
import ssl
import tempfile
import threading
import time
import zlib
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .errors import ServerError, without_password

__all__ = [
    "DEFAULT_PORTS",
    "MAX_BODY",
    "Reply",
    "TlsFileError",
    "get_json",
    "no_constant",
    "tls_context",
]

DEFAULT_PORTS = {"http": 80, "https": 443}
"""The port a URL of each scheme names when it names none."""

MAX_BODY = 4 * 2**20
"""The most a reply may hold, before and after decompression: a version payload is a few KB."""


class Reply(NamedTuple):
    """What a server answered: its status, its headers (names in lower case), and the JSON."""

    status: int
    headers: dict[str, str]
    body: Any


def tls_context(
    *,
    ca: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    pfx: str | None = None,
    pfx_password: str | None = None,
    insecure: bool = False,
) -> ssl.SSLContext:
    """A TLS context: the system's trust, or the CA file *ca*; a client certificate if given, as
    PEM (*cert*, *key*) or as a PKCS#12 bundle (*pfx*, which needs ``dbcompat[pfx]``); no
    verification only when *insecure* is asked for."""
    try:
        context = ssl.create_default_context(cafile=ca)
    except (OSError, ssl.SSLError) as error:
        raise TlsFileError(f"the CA file does not load ({_why(error)})") from None
    if cert is not None:
        try:
            context.load_cert_chain(cert, key)
        except (OSError, ssl.SSLError) as error:
            raise TlsFileError(
                f"the client certificate and its key do not load ({_why(error)})"
            ) from None
    if pfx is not None:
        _load_pfx(context, pfx, pfx_password)
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class TlsFileError(ValueError):
    """A CA file, client certificate, key or PFX bundle that does not load. Its message names
    no path: a key's path is a secret's address, and the caller knows which file it gave."""


def _why(error: OSError) -> str:
    """Why a TLS file did not load, without its path: the system's words, or OpenSSL's."""
    if isinstance(error, ssl.SSLError):
        reason = str(error.reason or error.strerror or "").lower().replace("_", " ")
        if "pem lib" in reason:
            return "not PEM, or a key that does not match the certificate or needs a password"
        return reason.split(" (_ssl.c")[0] or "OpenSSL refused it"
    return (error.strerror or "it cannot be read").lower()


def _load_pfx(context: ssl.SSLContext, path: str, password: str | None) -> None:
    """Load the certificate and key of the PKCS#12 bundle *path* into *context*.

    The ssl module reads only PEM files, so the bundle passes through one, in a private folder
    and gone at once; its key is encrypted there with a one-time password, never plain on disk.
    """
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12
    except ImportError:
        raise ValueError(
            "reading a PFX bundle needs cryptography: pip install 'dbcompat[pfx]'"
        ) from None
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise TlsFileError(f"the PFX bundle does not load ({_why(error)})") from None
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, None if password is None else password.encode()
        )
    except ValueError:
        raise TlsFileError(
            "the PFX bundle does not open: a wrong password, or not PKCS#12"
        ) from None
    if key is None or certificate is None:
        raise TlsFileError("the PFX bundle holds no client certificate with its key")
    one_time = secrets.token_hex(16)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(one_time.encode()),
    ) + b"".join(each.public_bytes(serialization.Encoding.PEM) for each in (certificate, *chain))
    with tempfile.TemporaryDirectory(prefix="dbcompat-") as folder:
        bundle = os.path.join(folder, "client.pem")
        with open(os.open(bundle, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(pem)
        context.load_cert_chain(bundle, password=one_time)


def get_json(
    url: str,
    path: str,
    *,
    timeout: float,
    context: ssl.SSLContext | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """GET *path* of the server at *url* and read its JSON, within *timeout* seconds in all.

    Raises ServerError, with one sentence that names the server, for every fault: a refused or
    unknown host, a timeout (also a slow trickle of bytes), a redirect, an HTTP error, a body
    over MAX_BODY (decompressed or not), a body that is not JSON.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServerError(url, "is not an http:// or https:// URL")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:  # its text would quote what follows the colon, a password perhaps
        raise ServerError(url, "has a port that is not a number from 0 to 65535") from None
    deadline = time.monotonic() + timeout
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=context or tls_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    # A socket's timeout restarts at every byte: a server that trickles its handshake or its
    # headers would hold the client for ever. One watchdog keeps the deadline over them all.
    cut = threading.Event()

    def deadline_reached() -> None:
        cut.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), deadline_reached)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(
            "GET",
            parts.path.rstrip("/") + path,
            headers={"Accept": "application/json", "Accept-Encoding": "gzip", **(headers or {})},
        )
        response = connection.getresponse()
        raw = _read_within(response, deadline, url)
        if cut.is_set():
            raise TimeoutError
    except ServerError:
        raise
    except (OSError, http.client.HTTPException) as error:
        raise _failure(error, url, parts.hostname, timeout, cut.is_set()) from None
    finally:
        watchdog.cancel()
        connection.close()
    found = {name.lower(): value for name, value in response.getheaders()}
    _check_status(response.status, found, url, path)
    if found.get("content-encoding", "").lower() == "gzip":
        raw = _gunzip(raw, url)
    try:
        # NaN and Infinity are no JSON, and 1e999 reads as one: a number must be finite.
        body = json.loads(raw, parse_constant=no_constant, parse_float=_finite)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, too long a number, too deep
        what = "HTML" if raw.lstrip()[:1] == b"<" else "something that is not JSON"
        raise ServerError(url, f"answered {path} with {what}") from None
    return Reply(response.status, found, body)


def _failure(error: Exception, url: str, host: str, timeout: float, late: bool) -> ServerError:
    """The one sentence for a request that failed with *error* (*late*: the deadline cut it)."""
    if late or isinstance(error, TimeoutError):
        # Rounded: what is left of a probe's one deadline is no round number.
        return ServerError(url, f"did not answer within {timeout:.2g} s")
    if isinstance(error, ssl.SSLError):
        return ServerError(url, f"refused the TLS handshake ({error.reason or error})")
    if isinstance(error, socket.gaierror):
        return ServerError(url, f"names a host that does not resolve ({host})")
    if isinstance(error, ConnectionRefusedError):
        return ServerError(url, "refused the connection: is the server running there?")
    return ServerError(url, f"could not be read ({type(error).__name__}: {error})")


def no_constant(name: str) -> float:
    """``json.loads``'s ``parse_constant``: NaN, Infinity and -Infinity are no JSON.

    >>> json.loads("[NaN]", parse_constant=no_constant)
    Traceback (most recent call last):
    ...
    ValueError: NaN is not JSON
    """
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is not a finite number")
    return number


def _read_within(response: http.client.HTTPResponse, deadline: float, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise ServerError(url, "was too slow: the reply did not arrive within the time allowed")
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY:
            raise ServerError(url, f"sent a reply over the {MAX_BODY // 2**20} MiB limit")
        chunks.append(chunk)


def _gunzip(raw: bytes, url: str) -> bytes:
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflate.decompress(raw, MAX_BODY)
    except zlib.error:
        raise ServerError(url, "sent a gzip body that does not decompress") from None
    if inflate.unconsumed_tail:
        raise ServerError(url, f"sent a reply that inflates past the {MAX_BODY // 2**20} MiB limit")
    return data


def _check_status(status: int, headers: dict[str, str], url: str, path: str) -> None:
    if 300 <= status < 400:
        where = without_password(headers.get("location", "elsewhere"))
        raise ServerError(
            url,
            f"redirects to {where}; dbcompat follows no redirect (credentials "
            "go to the server named, nowhere else): probe that URL instead",
            status,
        )
    if status in (401, 403):
        raise ServerError(
            url,
            f"refused {path} (HTTP {status}): it needs a client certificate or "
            "a token with the right to read it",
            status,
        )
    if status == 404:
        raise ServerError(url, f"has no {path} (HTTP 404): is it the right kind of server?", 404)
    if status >= 400:
        raise ServerError(url, f"answered {path} with HTTP {status}", status)
