"""The content the bot answers from, swapped as a whole when it is reloaded."""

from __future__ import annotations

from content.answering import Answerer
from content.pack import ContentPack, load_pack


class Library:
    """The answerer of one region. ``reload()`` reads the files again (SIGHUP or /reload);
    a request in flight keeps the answerer it started with."""

    def __init__(self, region_id: str) -> None:
        self.region_id = region_id
        self.answerer = Answerer(load_pack(region_id))

    @property
    def pack(self) -> ContentPack:
        return self.answerer.pack

    def reload(self) -> ContentPack:
        self.answerer = Answerer(load_pack(self.region_id))
        return self.answerer.pack
