"""How a sandboxed process reaches a remote store: through connections the server opens for it.

The query workers and the writer may open no socket but AF_UNIX (kg.sandbox), so they cannot reach any host.
With a remote store each is started with one end of a socketpair; asked for a connection (one byte: which of
the store's addresses), the server opens a TCP connection to that configured address and passes the connected
socket over the pair (SCM_RIGHTS). A worker can therefore talk to the store's endpoints and to nothing else,
whatever text it was given: this holds by construction, not by a check of what it sends.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading

from kg.iris import Minter
from kg.remote import RemoteStore
from kg.sparqlhttp import Endpoints, Opener, StoreError, direct

ENV = "KG_STORE_LINK"          # the child's end of the pair, as a file descriptor number


class Link:
    """The server's side: serves connection requests from its children, one pair per child."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.addresses = endpoints.addresses
        self.timeout = endpoints.timeout

    def pair(self) -> tuple[socket.socket, socket.socket]:
        """(the server's end, the child's end); the child's end must be passed to the child and then closed."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setblocking(False)
        return ours, theirs

    async def serve(self, ours: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                asked = await loop.sock_recv(ours, 1)
                if not asked:
                    return
                await self._answer(loop, ours, asked[0])
        except (OSError, asyncio.CancelledError):
            return
        finally:
            ours.close()

    async def _answer(self, loop: asyncio.AbstractEventLoop, ours: socket.socket, index: int) -> None:
        if index >= len(self.addresses):
            await loop.sock_sendall(ours, b"E" + b"no such store address")
            return
        host, port = self.addresses[index]
        try:
            conn = await asyncio.wait_for(asyncio.to_thread(direct, host, port, self.timeout), self.timeout)
        except (OSError, TimeoutError) as exc:
            await loop.sock_sendall(ours, b"E" + f"cannot connect to {host}:{port}: {exc}".encode()[:500])
            return
        with conn:
            socket.send_fds(ours, [b"K"], [conn.fileno()])


def child_opener(fd: int, endpoints: Endpoints) -> Opener:
    """The child's side: an Opener that asks the server for each connection."""
    sock = socket.socket(fileno=fd)
    lock = threading.Lock()
    addresses = endpoints.addresses

    def opener(host: str, port: int, timeout: float) -> socket.socket:
        if (host, port) not in addresses:
            raise StoreError(0, f"{host}:{port} is not the store's address")
        with lock:
            sock.settimeout(timeout)
            sock.sendall(bytes([addresses.index((host, port))]))
            msg, fds, _, _ = socket.recv_fds(sock, 600, 1)
        if not fds:
            raise StoreError(0, msg[1:].decode(errors="replace") or "the server passed no connection")
        conn = socket.socket(fileno=fds[0])
        with contextlib.suppress(OSError):
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    return opener


def child_store(spec: str, base: str) -> RemoteStore:
    """The remote store as a child sees it: every connection through the server (the fd in KG_STORE_LINK)."""
    endpoints = Endpoints.parse(spec)
    fd = os.environ.get(ENV)
    if fd is None or not fd.isdigit():
        raise StoreError(0, f"started without {ENV}: no way to reach the store")
    return RemoteStore(endpoints, Minter(base), opener=child_opener(int(fd), endpoints))


__all__ = ["ENV", "Link", "child_opener", "child_store"]
