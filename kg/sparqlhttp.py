"""Talking to a SPARQL 1.1 store over HTTP: its endpoints, credentials, connections and answers.

A store is named by one string, ``KG_STORE`` or ``--store``: the query endpoint's URL, with the others in
its fragment (never sent)::

    http://127.0.0.1:8890/sparql#update=/sparql-auth&graphs=/sparql-graph-crud-auth

``update`` and ``graphs`` are resolved against the query URL (``update`` defaults to it; ``graphs``, the
Graph Store Protocol endpoint, is optional). Credentials come from the environment: ``KG_STORE_USER`` and
``KG_STORE_PASSWORD`` answer a Basic or Digest challenge (Virtuoso's ``/sparql-auth`` asks for Digest),
``KG_STORE_TOKEN`` is sent as a bearer token. They go to the update and graph-store endpoints, and to the
query endpoint only when it is the update endpoint too (or ``auth=all`` is in the fragment): the processes
that only query then never hold the write credentials.

``Client`` sends requests only to those URLs; every connection comes from an ``Opener``, so a sandboxed
process that may not open sockets itself is handed connections its parent opened to the configured host
(api/storelink.py). Every socket has a timeout. Answers stream: a result is parsed as it arrives.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import math
import os
import re
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from kg import store

Opener = Callable[[str, int, float], socket.socket]
IDLE = 4.0            # seconds a kept-alive connection may sit unused before it is not trusted again
ERROR_BODY = 4096     # bytes of an error answer kept for its message


class StoreError(store.StoreError):
    """The store refused or failed a request: ``status`` is its HTTP status (0: it could not be reached)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_url(spec: str | os.PathLike[str]) -> bool:
    return isinstance(spec, str) and spec.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graphs: str | None = None
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    query_auth: bool = False              # send the credentials to the query endpoint too
    dialect: str | None = None            # "virtuoso" or "standard"; None: read from the store's Server header
    batch: int = 2000                     # triples per write request
    timeout: float = 60.0                 # seconds any socket operation may take

    @classmethod
    def parse(cls, spec: str, env: Mapping[str, str] | None = None) -> Endpoints:
        env = os.environ if env is None else env
        url, _, fragment = spec.partition("#")
        params = dict(parse_qsl(fragment, keep_blank_values=True))
        unknown = set(params) - {"update", "graphs", "auth", "dialect", "batch", "timeout"}
        if unknown:
            raise ValueError(f"unknown store parameter(s) {', '.join(sorted(unknown))} in {spec!r}; "
                             "use update=, graphs=, auth=, dialect=, batch=, timeout=")
        query = _checked_url(url)
        update = _checked_url(urljoin(query, params["update"])) if params.get("update") else query
        graphs = _checked_url(urljoin(query, params["graphs"])) if params.get("graphs") else None
        if params.get("dialect") not in (None, "virtuoso", "standard"):
            raise ValueError(f"dialect must be virtuoso or standard, not {params['dialect']!r}")
        try:
            batch = int(params.get("batch", 2000))
            timeout = float(params.get("timeout", env.get("KG_STORE_TIMEOUT") or 60))
        except ValueError as exc:
            raise ValueError(f"batch and timeout must be numbers in {spec!r}") from exc
        if not 0 < timeout < math.inf:
            raise ValueError(f"timeout must be a positive number of seconds in {spec!r}")
        return cls(query, update, graphs, env.get("KG_STORE_USER") or None, env.get("KG_STORE_PASSWORD") or None,
                   env.get("KG_STORE_TOKEN") or None, params.get("auth") == "all" or query == update,
                   params.get("dialect"), max(1, batch), timeout)

    def without_write_credentials(self) -> Endpoints:
        """What a process that only queries needs."""
        if self.query_auth:
            return self
        return Endpoints(self.query, self.update, self.graphs, None, None, None, False, self.dialect, self.batch,
                         self.timeout)

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """(host, port) of each endpoint, query first: the only places a connection may go."""
        out: list[tuple[str, int]] = []
        for url in (self.query, self.update, self.graphs):
            if url is not None and (addr := address(url)) not in out:
                out.append(addr)
        return out


def _checked_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"a store endpoint must be an absolute http(s) URL, not {url!r}")
    if parts.username or parts.password:
        raise ValueError("put the store's credentials in KG_STORE_USER and KG_STORE_PASSWORD, not in its URL")
    return url


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def direct(host: str, port: int, timeout: float) -> socket.socket:
    """An Opener for processes that may open sockets: a TCP connection to (host, port)."""
    sock = socket.create_connection((host, port), timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _Connection(http.client.HTTPConnection):
    """http.client's connection with its socket from an Opener (TLS on top for https)."""

    def __init__(self, host: str, port: int, timeout: float, opener: Opener, tls: ssl.SSLContext | None) -> None:
        super().__init__(host, port, timeout=timeout)
        self.opener = opener
        self.tls = tls
        self.used = time.monotonic()

    def connect(self) -> None:
        sock = self.opener(self.host, self.port, self.timeout)
        sock.settimeout(self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host) if self.tls else sock


class Answer:
    """A streamed answer body (file-like); its connection goes back to the pool once it has been read whole."""

    def __init__(self, client: Client, conn: _Connection, resp: http.client.HTTPResponse) -> None:
        self.client = client
        self.conn: _Connection | None = conn
        self.resp = resp
        self.status = resp.status
        self.headers = {k.lower(): v for k, v in resp.getheaders()}
        self.media = self.headers.get("content-type", "").split(";")[0].strip().lower()
        capped = self.headers.get("x-sparql-maxrows", "")
        self.capped = int(capped) if capped.isdigit() else None
        self._tail = b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        try:
            data = self.resp.read() if n is None or n < 0 else self.resp.read(n)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise StoreError(0, f"the store's answer broke off: {exc}") from exc
        if not data:
            self._done()
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def _done(self) -> None:
        if self.conn is not None:
            self.client._release(self.conn)
            self.conn = None

    def close(self) -> None:
        """Stop reading: the connection still carries the rest of the answer, so it is dropped."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self) -> Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class XmlResults:
    """A SPARQL XML results stream made readable by pyoxigraph without loss, as it streams.

    pyoxigraph 0.5 trims the whitespace around a literal's text (``"dates: "`` comes out ``"dates:"``): the
    leading and trailing whitespace of every literal is written as character references, which it keeps.
    Virtuoso labels blank nodes ``nodeID://b12``, which pyoxigraph refuses: the label becomes ``b12``. In XML
    results a ``<`` only ever opens markup (text escapes it), so the elements are found by their tags; a chunk
    is passed on only up to the last element known to be complete."""

    LITERAL = re.compile(rb"(<literal\b[^>]*>)([^<]*)(</literal>)")
    SPACE = b" \t\r\n"

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.carry = b""
        self.out = bytearray()
        self.eof = False

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while not self.eof and (n is None or n < 0 or len(self.out) < n):
            chunk = self.inner.read(1 << 16)
            data = self.carry + chunk
            if not chunk:
                self.eof, cut = True, len(data)
            else:
                cut = data.rfind(b">") + 1
                for tag, close in ((b"<literal", b"</literal>"), (b"<bnode", b"</bnode>")):
                    start = data.rfind(tag, 0, cut)
                    if start != -1 and data.find(close, start, cut) == -1:
                        cut = min(cut, start)
            self.carry = data[cut:]
            self.out += self._fix(data[:cut])
        size = len(self.out) if n is None or n < 0 else min(n, len(self.out))
        head = bytes(self.out[:size])
        del self.out[:size]
        return head

    def _fix(self, data: bytes) -> bytes:
        return self.LITERAL.sub(self._literal, data).replace(b"<bnode>nodeID://", b"<bnode>")

    def _literal(self, m: re.Match[bytes]) -> bytes:
        text = m.group(2)
        core = text.strip(self.SPACE)
        if core == text:
            return m.group(0)
        lead = len(text) - len(text.lstrip(self.SPACE))
        tail = len(text) - lead - len(core) if core else 0
        refs = b"".join(b"&#%d;" % c for c in text[:lead]) if core else b"".join(b"&#%d;" % c for c in text)
        end = b"".join(b"&#%d;" % c for c in text[len(text) - tail:]) if tail else b""
        return m.group(1) + refs + core + end + m.group(3)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class Client:
    """Requests to a store's endpoints over kept-alive connections (any thread), with its credentials."""

    def __init__(self, endpoints: Endpoints, opener: Opener = direct) -> None:
        self.endpoints = endpoints
        self.opener = opener
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._digest: dict[str, str] | None = None
        self._nc = 0
        self.server = ""                  # the store's Server header, once it has answered
        self._basic = False

    # -- the three endpoints --------------------------------------------------------------------------------

    def query(self, text: str, accept: str, dataset: list[tuple[str, str]] = ()) -> Answer:  # type: ignore[assignment]
        return self.post(self.endpoints.query, [("query", text), *dataset], accept,
                         credentials=self.endpoints.query_auth, retry=True)

    def update(self, text: str, dataset: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        with self.post(self.endpoints.update, [("update", text), *dataset], "*/*", credentials=True) as answer:
            answer.read()

    # -- requests -------------------------------------------------------------------------------------------

    def post(self, url: str, form: list[tuple[str, str]], accept: str, *, credentials: bool,
             retry: bool = False) -> Answer:
        """POST a form; the 2xx answer, or StoreError. A query (``retry``) that meets a connection the store
        closed while it sat idle is sent once more on a new one; an update never is."""
        body = urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
                   "Accept-Encoding": "identity", "User-Agent": "diplomacy-kg"}
        return self.request("POST", url, body, headers, credentials=credentials, retry=retry)

    def request(self, method: str, url: str, body: bytes | None, headers: dict[str, str], *, credentials: bool,
                retry: bool = False, params: list[tuple[str, str]] | None = None) -> Answer:
        if url not in (self.endpoints.query, self.endpoints.update, self.endpoints.graphs):
            raise StoreError(0, f"{url} is not one of the store's endpoints")
        parts = urlsplit(url)
        query = "&".join(q for q in (parts.query, urlencode(params or [])) if q)
        target = (parts.path or "/") + ("?" + query if query else "")
        for attempt in range(3):
            auth = self._authorization(method, target) if credentials else {}
            conn, fresh = self._connection(parts.scheme, address(url))
            try:
                conn.request(method, target, body=body, headers={**headers, **auth})
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                if retry and not fresh and attempt == 0:
                    continue
                raise StoreError(0, f"cannot reach the store at {url}: {exc}") from exc
            self.server = self.server or resp.getheader("Server", "")
            if resp.status == 401 and credentials and attempt < 2 and self._challenge(resp):
                _drain(resp)
                self._release(conn)
                continue
            answer = Answer(self, conn, resp)
            if resp.status >= 300:
                raise _error(answer)
            if "x-sql-state" in answer.headers:   # Virtuoso's partial ("anytime") answer
                answer.close()
                raise StoreError(503, "the store stopped the query at its own time limit and offered a partial "
                                      "answer, which is not passed on")
            return answer
        raise StoreError(401, f"the store at {url} refused the credentials")

    def _connection(self, scheme: str, addr: tuple[str, int]) -> tuple[_Connection, bool]:
        now = time.monotonic()
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if (conn.host, conn.port) == addr and now - conn.used < IDLE:
                    return conn, False
                conn.close()
        tls = ssl.create_default_context() if scheme == "https" else None
        return _Connection(addr[0], addr[1], self.endpoints.timeout, self.opener, tls), True

    def _release(self, conn: _Connection) -> None:
        conn.used = time.monotonic()
        with self._lock:
            self._idle.append(conn)

    def close(self) -> None:
        with self._lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()

    def __del__(self) -> None:      # a client that goes away lets go of its kept-alive connections
        self.close()

    # -- credentials ----------------------------------------------------------------------------------------

    def _authorization(self, method: str, target: str) -> dict[str, str]:
        e = self.endpoints
        if e.token:
            return {"Authorization": f"Bearer {e.token}"}
        if e.user is None or e.password is None:
            return {}
        with self._lock:
            if self._digest is None:
                if self._basic:
                    raw = base64.b64encode(f"{e.user}:{e.password}".encode()).decode()
                    return {"Authorization": f"Basic {raw}"}
                return {}
            self._nc += 1
            return {"Authorization": digest(self._digest, e.user, e.password, method, target, self._nc)}

    def _challenge(self, resp: http.client.HTTPResponse) -> bool:
        """Take the scheme a 401 asks for; False if there is nothing (more) to answer it with."""
        e = self.endpoints
        if e.user is None or e.password is None:
            return False
        challenges = " ".join(resp.headers.get_all("WWW-Authenticate") or [])
        if challenges.lower().startswith("digest") or " digest " in f" {challenges.lower()} ":
            params = dict((k.lower(), v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|[^\s,]+)', challenges))
            with self._lock:
                stale = self._digest is not None and params.get("stale", "").lower() == "true"
                fresh = self._digest is None or self._digest.get("nonce") != params.get("nonce")
                self._digest, self._nc = params, 0
            return fresh or stale
        if "basic" in challenges.lower() and not self._basic:
            self._basic = True
            return True
        return False


def digest(challenge: dict[str, str], user: str, password: str, method: str, target: str, nc: int) -> str:
    """An Authorization header answering an HTTP Digest challenge (RFC 7616; MD5 or SHA-256, qop=auth)."""
    algorithm = challenge.get("algorithm", "MD5")
    name = algorithm.upper().removesuffix("-SESS")
    h = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}.get(name)
    if h is None:
        raise StoreError(401, f"the store asks for Digest {algorithm}, which this client does not speak")

    def hx(text: str) -> str:
        return h(text.encode()).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce = secrets.token_hex(8)
    ha1 = hx(f"{user}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = hx(f"{ha1}:{nonce}:{cnonce}")
    ha2 = hx(f"{method}:{target}")
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": target, "algorithm": algorithm}
    if "auth" in qops:
        count = f"{nc:08x}"
        fields.update(response=hx(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}"), qop="auth", nc=count,
                      cnonce=cnonce)
    else:
        fields["response"] = hx(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in challenge:
        fields["opaque"] = challenge["opaque"]
    unquoted = {"qop", "nc", "algorithm"}
    return "Digest " + ", ".join(f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items())


def _drain(resp: http.client.HTTPResponse) -> None:
    try:
        resp.read()
    except (OSError, http.client.HTTPException):
        pass


def _error(answer: Answer) -> StoreError:
    try:
        raw = answer.resp.read(ERROR_BODY)
    except (OSError, http.client.HTTPException):
        raw = b""
    answer.close()
    return StoreError(answer.status, store_message(raw.decode("utf-8", errors="replace"), answer.status))


def store_message(body: str, status: int) -> str:
    """The first informative line of a store's error page (plain text or HTML)."""
    text = re.sub(r"<[^>]+>", " ", body)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not line.lower().startswith(("<!doctype", "error ")) and len(line) > 3:
            return line[:300]
    return f"HTTP {status}"


__all__ = ["Answer", "Client", "Endpoints", "Opener", "StoreError", "XmlResults", "address", "digest",
           "direct", "is_url", "store_message"]
