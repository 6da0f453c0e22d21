"""Errors as (status, plain message), and the few request checks every route shares."""
from __future__ import annotations

import hmac
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.negotiation import NotAcceptable
from kg.config import Settings


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def plain(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status, headers=dict(headers or {}))


def not_acceptable(exc: NotAcceptable) -> HTTPError:
    return HTTPError(406, "Not Acceptable. Available: " + ", ".join(exc.offered), {"Vary": "Accept"})


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPError(413, f"request body exceeds the limit of {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPError(413, f"request body exceeds the limit of {limit} bytes")
    return bytes(body)


def require_token(request: Request, settings: Settings) -> None:
    """Writes need ``Authorization: Bearer <KG_API_TOKEN>``; with no token configured they are off."""
    if settings.api_token is None:
        raise HTTPError(403, "writes are disabled on this server (no KG_API_TOKEN is configured)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.api_token.encode()):
        raise HTTPError(401, "this operation needs Authorization: Bearer <token>",
                        {"WWW-Authenticate": 'Bearer realm="diplomacy-kg"'})


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's Content-Type as (type, parameters), lower-cased; ("", {}) when absent."""
    raw = request.headers.get("content-type", "")
    kind, *params = [p.strip() for p in raw.split(";")]
    out = {}
    for p in params:
        name, _, value = p.partition("=")
        out[name.strip().lower()] = value.strip().strip('"').lower()
    return kind.lower(), out


def utf8(body: bytes, params: Mapping[str, str]) -> str:
    charset = params.get("charset", "utf-8")
    if charset not in ("utf-8", "utf8"):
        raise HTTPError(415, f"the request body must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, f"the request body is not valid UTF-8: {exc}") from None
