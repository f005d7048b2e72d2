"""The webhook's connections, from their accept to their end: TLS started on each, aiohttp's
protocol serving it, a clock over each request, and a cap on how many are held at once.

Each connection costs about 300 KiB while it is held (asyncio's TLS buffer is 256 KiB), so
memory is bounded by the cap: :data:`MAX_CONNECTIONS` fit, with the process itself and what a
flood's churn leaves behind, in the 768 MiB the deployment allows (the image maps each buffer
apart, ``MALLOC_MMAP_THRESHOLD_``, so that what short connections free goes back to the
system). A flood of connections reset at once is the exception: asyncio accepts up to
:data:`BACKLOG` at a time, and the heap may keep what they briefly took (676 to 934 MiB at
peak in the benchmarks), so that bound is the deployment limit's, not the cap's. When a new
connection would pass the cap, one is dropped: the one silent longest (no request under way),
else the request that started longest ago. A review in progress is the last to go, and a
connection dropped before its TLS starts never allocates its buffer.

TLS is started on the accepted TCP connection (``loop.start_tls``) rather than by the listening
server, so that a connection still in its handshake can be dropped too: the server's own TLS
gives the connection to the protocol only once the handshake is over.

>>> MAX_CONNECTIONS
1024
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable

__all__ = ["BACKLOG", "MAX_CONNECTIONS", "Connections"]

MAX_CONNECTIONS = 1024
"""Connections held at once: 1,024 of about 300 KiB each, and the process, stay under 768 MiB
(the deployment's limit) with room for the allocator's slack after a flood."""

BACKLOG = 1024
"""Connections the kernel queues before they are accepted. A shorter queue (128, 512) kept less
memory in a flood but dropped reviewers' connects: 42 to 94 failed reviews of about 400 under
2,000 reconnecting attackers, against 1 at 1,024."""


class Connections:
    """The protocol factory of a listening server (``loop.create_server(connections, ...)``):
    each connection served by a protocol of *serving* (aiohttp's), over TLS with *context*,
    each request with *deadline* seconds from the accept or its first byte to its answer, and
    at most *cap* connections held, oldest activity first."""

    def __init__(
        self,
        serving: Callable[[], asyncio.Protocol],
        context: ssl.SSLContext,
        deadline: float,
        cap: int = MAX_CONNECTIONS,
    ) -> None:
        self.serving, self.context, self.deadline, self.cap = serving, context, deadline, cap
        self._held: dict[_Connection, None] = {}  # in the order of their last activity
        self._served: dict[object, _Connection] = {}

    def __call__(self) -> asyncio.Protocol:
        return _Connection(self)

    def __len__(self) -> int:
        return len(self._held)

    def begun(self, protocol: object) -> None:
        """A request on the connection that *protocol* serves is being answered: its clock
        runs, even where its bytes came before the previous answer went (pipelining)."""
        connection = self._served.get(protocol)
        if connection is not None:
            connection.begin()

    def answered(self, protocol: object) -> None:
        """The request in progress on the connection that *protocol* serves is answered."""
        connection = self._served.get(protocol)
        if connection is not None:
            connection.answered()

    def drop_all(self) -> None:
        """Drop every connection held: the server stops."""
        for connection in list(self._held):
            connection.drop()

    def _hold(self, connection: _Connection) -> None:
        self._held.pop(connection, None)
        self._held[connection] = None  # now the newest
        while len(self._held) > self.cap:
            silent = next((each for each in self._held if not each.asked), None)
            (silent or next(iter(self._held))).drop()

    def _release(self, connection: _Connection) -> None:
        self._held.pop(connection, None)
        if connection.inner is not None:
            self._served.pop(connection.inner, None)


class _Connection(asyncio.Protocol):
    """One connection: first the accepted TCP stream's protocol, then, once TLS is started on
    it, the TLS stream's, with aiohttp's protocol inside."""

    def __init__(self, owner: Connections) -> None:
        self.owner = owner
        self.raw: asyncio.Transport | None = None
        self.inner: asyncio.Protocol | None = None
        self._clock: asyncio.TimerHandle | None = None
        self._securing: asyncio.Task[None] | None = None
        self.asked = False  # a request under way: bytes of it came, its answer has not gone
        # What TLS delivers between the handshake and start_tls returning the stream, when
        # there is no protocol yet to hand it to.
        self._early: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self.raw is not None:
            self._serve(transport)  # the TLS stream, where asyncio announces it
            return
        assert isinstance(transport, asyncio.Transport)  # a stream server's
        self.raw = transport
        transport.pause_reading()  # the client's hello is for TLS to read, not for us
        self._start_clock()
        self.owner._hold(self)
        self._securing = asyncio.get_running_loop().create_task(self._secure(transport))

    async def _secure(self, raw: asyncio.Transport) -> None:
        if raw.is_closing():
            return  # dropped before its turn came (a flood past the cap): no TLS buffer for it
        loop = asyncio.get_running_loop()
        try:
            secured = await loop.start_tls(
                raw, self, self.owner.context, server_side=True,
                ssl_handshake_timeout=self.owner.deadline,
            )  # fmt: skip
        except Exception:  # a handshake that fails, or a client gone: its own loss
            self.drop()
            return
        if secured is None:
            self.drop()
        else:
            self._serve(secured)

    def _serve(self, secured: asyncio.BaseTransport) -> None:
        if self.inner is None:
            self.inner = self.owner.serving()
            self.owner._served[self.inner] = self
            self.inner.connection_made(secured)
            for data in self._early:
                self.inner.data_received(data)
            self._early.clear()

    def _start_clock(self) -> None:
        self._stop_clock()
        self._clock = asyncio.get_running_loop().call_later(self.owner.deadline, self.drop)

    def _stop_clock(self) -> None:
        if self._clock is not None:
            self._clock.cancel()
            self._clock = None

    def answered(self) -> None:
        """The request in progress is answered: the clock waits for the next one's first byte."""
        self._stop_clock()
        self.asked = False
        self.owner._hold(self)

    def drop(self) -> None:
        """Abort the connection, wherever it is: a request past its deadline, or the oldest
        one held when a new one comes past the cap."""
        self._stop_clock()
        self.owner._release(self)
        if self.raw is not None:
            self.raw.abort()

    def begin(self) -> None:
        """A request is under way (its first byte came, or its answer is being made): it has
        its clock, and its place as the newest connection."""
        if not self.asked:
            self.asked = True
            if self._clock is None:
                self._start_clock()
            self.owner._hold(self)

    def data_received(self, data: bytes) -> None:
        self.begin()
        if self.inner is not None:
            self.inner.data_received(data)
        else:
            self._early.append(data)

    def eof_received(self) -> bool | None:
        return None if self.inner is None else self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        self.owner._release(self)
        if self.inner is not None:
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()
