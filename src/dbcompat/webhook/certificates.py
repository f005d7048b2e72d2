"""The webhook's TLS certificate and key, loaded again when cert-manager rotates them.

A server's TLS context is fixed when it starts listening, so the context it listens with only
hands each new connection, during its handshake, the context of the files as they are then.
"""

from __future__ import annotations

import os
import ssl
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Certificates"]


class Certificates:
    """The certificate *cert* and key *key* (PEM files), read at once: an error here is the
    caller's bad input. *reloaded* is called, with no path (a key's path is a secret's
    address), each time a changed pair is loaded.

    >>> Certificates("/nonexistent/tls.crt", "/nonexistent/tls.key")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/tls.crt'
    """

    def __init__(self, cert: str, key: str, reloaded: Callable[[], None] = lambda: None) -> None:
        self.cert, self.key = cert, key
        self._reloaded = reloaded
        self._lock = threading.Lock()
        self._stamp: tuple[float, float] | None = None
        self._context: ssl.SSLContext | None = None
        self.context()

    def _mtimes(self) -> tuple[float, float]:
        return (os.stat(self.cert).st_mtime, os.stat(self.key).st_mtime)

    def context(self) -> ssl.SSLContext:
        """The TLS context of the files as they are now."""
        with self._lock:
            stamp: tuple[float, float] | None
            try:
                stamp = self._mtimes()
            except OSError:
                if self._context is None:
                    raise
                stamp = self._stamp  # a rotation in progress: keep what works
            if self._context is None or stamp != self._stamp:
                context = _server_context()
                try:
                    context.load_cert_chain(self.cert, self.key)
                except (OSError, ssl.SSLError):
                    if self._context is None:
                        raise
                    return self._context  # half-written files: the old pair still serves
                first = self._context is None
                self._context, self._stamp = context, stamp
                if not first:
                    self._reloaded()
            return self._context

    def listening_context(self) -> ssl.SSLContext:
        """The context to listen with: each handshake is switched to :meth:`context`."""
        listening = _server_context()
        listening.load_cert_chain(self.cert, self.key)

        def switch(connection: Any, server_name: str | None, _: ssl.SSLContext) -> None:
            # Called for every ClientHello, with or without a server name in it.
            connection.context = self.context()

        listening.sni_callback = switch
        return listening


def _server_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
