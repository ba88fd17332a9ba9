"""`pressroom serve`: build, then serve the pages on 127.0.0.1 and rebuild on every save."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from watchfiles import DefaultFilter, awatch

from pressroom.serve.app import make_app
from pressroom.serve.hub import Hub, Status
from pressroom.serve.rebuild import Rebuilder
from pressroom.themes import Theme

SHUTDOWN_GRACE_SECONDS = 5


class PreviewServer(uvicorn.Server):
    """uvicorn, but Ctrl-C also ends the event streams and the watcher at once.

    Open pages hold a streaming response each; without this, a graceful shutdown would
    wait for them forever.
    """

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Stop streams and watcher, then let uvicorn shut down as usual."""
        self.on_exit()
        super().handle_exit(sig, frame)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host`:`port` (port 0: a free one the system picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)  # connections queue up from now on, before uvicorn accepts them
    return sock


def address(sock: socket.socket) -> str:
    """The URL a listening socket answers at."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def watched_folders(rebuilder: Rebuilder, theme: Theme) -> list[Path]:
    """The content folder and every folder of the theme chain."""
    return [rebuilder.config.content, *theme.folders]


def serve(rebuilder: Rebuilder, theme: Theme, sock: socket.socket,
          announce: Callable[[str], None]) -> None:
    """Serve until Ctrl-C, rebuilding (one build at a time) whenever a watched file changes."""
    hub = Hub(Status(rebuilder.version))
    stop = asyncio.Event()
    loop: asyncio.AbstractEventLoop | None = None

    def publish(status: Status) -> None:
        if loop is not None:
            loop.call_soon_threadsafe(hub.publish, status)

    def stopping() -> None:
        if loop is not None:
            loop.call_soon_threadsafe(hub.close)
            loop.call_soon_threadsafe(stop.set)

    async def watch() -> None:
        ignore = DefaultFilter(ignore_paths=[rebuilder.config.out.resolve()])
        async for _changes in awatch(*watched_folders(rebuilder, theme), watch_filter=ignore,
                                     stop_event=stop):
            await asyncio.to_thread(rebuilder.rebuild)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        nonlocal loop
        loop = asyncio.get_running_loop()
        watcher = asyncio.create_task(watch())
        announce(address(sock))
        try:
            yield
        finally:
            stop.set()
            hub.close()
            await watcher

    rebuilder.publish = publish
    app = make_app(rebuilder.config.out, rebuilder.downloads, theme, hub, lifespan)
    config = uvicorn.Config(app, log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS)
    try:
        PreviewServer(config, stopping).run(sockets=[sock])
    finally:
        rebuilder.close()
        sock.close()
