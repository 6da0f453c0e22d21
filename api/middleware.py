"""What wraps every request: header limits, security headers on every answer, gzip."""
from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_HEADERS = 100
MAX_HEADER_BYTES = 8 * 1024        # one header's value; an Accept header is a few hundred bytes
MAX_HEADERS_TOTAL = 32 * 1024

# Pages load scripts and styles only from this server (YASGUI and Swagger UI are bundled in /static/);
# styles may be inline, which the bundled widgets need. No framing, no plugins, no foreign <base>.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def oversized(headers: list[tuple[bytes, bytes]]) -> str | None:
    """Why a request's headers are refused, or None."""
    if len(headers) > MAX_HEADERS:
        return f"the request has {len(headers)} header fields; at most {MAX_HEADERS} are accepted"
    total = 0
    for name, value in headers:
        if len(value) > MAX_HEADER_BYTES:
            return f"the {name.decode('latin-1')} header is over {MAX_HEADER_BYTES} bytes"
        total += len(name) + len(value)
    if total > MAX_HEADERS_TOTAL:
        return f"the request's header fields are over {MAX_HEADERS_TOTAL} bytes in all"
    return None


class Guard:
    """431 for oversized request headers, before any route reads them; security headers on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = oversized(scope["headers"])
        if reason is not None:
            body = f"Request Header Fields Too Large: {reason}\n".encode()
            await send({"type": "http.response.start", "status": 431, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"), *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, secured)


class GZipExceptDumps:
    """gzip for large answers, but not for the downloads: they come gzipped already or are served with Range."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=4096, compresslevel=5)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/dumps/"):
            await self.app(scope, receive, send)
        else:
            await self.gzip(scope, receive, send)
