"""The storage console's static files, served by the API itself under /console/ (no key: the page holds no secret;
the admin's API key stays in their browser's sessionStorage and goes out only as the Bearer header of API calls).

Every answer carries a strict Content-Security-Policy: scripts, styles, images and API calls from this origin only,
no inline script or style, no framing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\.[a-z]{2,4}$")  # flat: no folders, no dot files, no traversal
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}


@dataclass(frozen=True)
class Asset:
    content_type: str
    body: bytes


class StaticSite:
    def __init__(self, root: Path) -> None:
        self._root = root

    def asset(self, name: str) -> Asset | None:
        """The file ``name`` of the console, or None (unknown, or not a name a console file can have)."""
        suffix = Path(name).suffix
        if not ASSET.match(name) or suffix not in CONTENT_TYPES:
            return None
        path = self._root / name
        if not path.is_file():
            return None
        return Asset(CONTENT_TYPES[suffix], path.read_bytes())
