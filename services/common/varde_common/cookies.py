"""A cookie jar that keeps nothing, for HTTP clients that call on behalf of many people (the gateway, the web)."""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy


class NoCookies(CookieJar):
    """Nothing one response sets may reach another request: each call carries only what its caller gave it."""

    def __init__(self) -> None:
        super().__init__(policy=DefaultCookiePolicy(allowed_domains=[]))
