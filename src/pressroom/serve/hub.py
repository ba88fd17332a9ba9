"""What the preview tells open pages: the site's version and the errors holding a rebuild back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field

KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class Status:
    """The preview's state: `version` grows each time the pages change; `errors` are shown."""

    version: int = 0
    errors: tuple[str, ...] = ()
    note: str = ""


@dataclass
class Hub:
    """Fans each new Status out to every open page's event stream (on the event loop)."""

    status: Status = field(default_factory=Status)
    _queues: set[asyncio.Queue[Status | None]] = field(default_factory=set)
    closed: bool = False

    def publish(self, status: Status) -> None:
        """Make `status` current and send it to every listener."""
        self.status = status
        for queue in self._queues:
            queue.put_nowait(status)

    def close(self) -> None:
        """End every stream (the server is stopping), so no connection holds it open."""
        self.closed = True
        for queue in self._queues:
            queue.put_nowait(None)

    async def stream(self) -> AsyncIterator[str]:
        """Server-sent events: the current status at once, then each change until closed."""
        queue: asyncio.Queue[Status | None] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield _event(self.status)
            while not self.closed:
                try:
                    status = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if status is None:
                    return
                yield _event(status)
        finally:
            self._queues.discard(queue)


def _event(status: Status) -> str:
    """One `status` event in the text/event-stream format (JSON data on one line)."""
    return f"event: status\ndata: {json.dumps(asdict(status))}\n\n"
