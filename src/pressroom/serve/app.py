"""The preview's web app: the html pages at their URL paths, downloads, and the reload stream."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib.resources import files
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from pressroom.serve.hub import Hub
from pressroom.themes import Theme

PREFIX = "/_pressroom"
EVENTS = f"{PREFIX}/events"
SCRIPT = f"{PREFIX}/reload.js"
DOWNLOADS_TEMPLATE = "html/downloads.html.j2"
NO_STORE = {"Cache-Control": "no-store"}


class SitePages(StaticFiles):
    """The html folder at clean URLs (`/a/b` → `a/b.html`), each page wired to the hub.

    Lookups are StaticFiles' own, so nothing outside the folder is ever served: `..`,
    encoded dots and symlinks that leave it all end in 404.
    """

    def __init__(self, directory: Path, hub: Hub) -> None:
        super().__init__(directory=directory, html=True, check_dir=False)
        self.hub = hub

    async def get_response(self, path: str, scope: Scope) -> Response:
        """`path.html` when it exists, else whatever StaticFiles finds (file, folder index)."""
        if path not in ("", ".") and not path.endswith(("/", ".html")):
            try:
                full_path, found = await anyio.to_thread.run_sync(self.lookup_path,
                                                                  path + ".html")
            except (OSError, ValueError):  # a name too long or with a NUL: StaticFiles says 404
                found = None
            if found is not None and stat.S_ISREG(found.st_mode):
                return self.file_response(full_path, found, scope)
        return await super().get_response(path, scope)

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result,
                      scope: Scope, status_code: int = 200) -> Response:
        """Pages get the reload script before `</head>`; other files go out as they are."""
        if not str(full_path).endswith(".html"):
            return super().file_response(full_path, stat_result, scope, status_code)
        page = Path(full_path).read_text(encoding="utf-8")
        return HTMLResponse(page.replace("</head>", reload_tag(self.hub) + "</head>", 1),
                            status_code, headers=NO_STORE)


def reload_tag(hub: Hub) -> str:
    """The script element that keeps a page in step with the preview."""
    return (f'<script src="{SCRIPT}" data-events="{EVENTS}" '
            f'data-version="{hub.status.version}" defer></script>')


def make_app(out: Path, downloads: Sequence[str], theme: Theme, hub: Hub,
             lifespan: Callable[[Any], AbstractAsyncContextManager[None]] | None = None
             ) -> Starlette:
    """The app over output folder `out`: pages from out/html, files of `downloads` formats."""
    script = files("pressroom.serve").joinpath("reload.js").read_text(encoding="utf-8")

    async def events(request: Request) -> Response:
        return StreamingResponse(hub.stream(), media_type="text/event-stream",
                                 headers=NO_STORE)

    async def reload_script(request: Request) -> Response:
        return Response(script, media_type="text/javascript", headers=NO_STORE)

    async def downloads_page(request: Request) -> Response:
        listing = {fmt: _files(out / fmt) for fmt in downloads}
        page = theme.render(DOWNLOADS_TEMPLATE, listing=listing, prefix=PREFIX,
                            language="en", title="Downloads", canonical=str(request.url),
                            description="", css_href="/css/screen.css", home_href="/",
                            trail=[])
        return HTMLResponse(page.replace("</head>", reload_tag(hub) + "</head>", 1),
                            headers=NO_STORE)

    routes: list[Route | Mount] = [
        Route(EVENTS, events),
        Route(SCRIPT, reload_script),
        Route(f"{PREFIX}/", downloads_page),
        *(Mount(f"{PREFIX}/files/{fmt}", StaticFiles(directory=out / fmt, check_dir=False))
          for fmt in downloads),
        Mount("/", SitePages(out / "html", hub)),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _files(folder: Path) -> list[str]:
    """Files a format wrote, relative to its folder, sorted."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

