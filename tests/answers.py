"""What the content base says, for tests that check a reply came from it."""

from __future__ import annotations

from functools import cache

from content.library import Library


@cache
def library() -> Library:
    return Library("soest")


def title(topic_id: str, lang: str) -> str:
    pack = library().pack
    return pack.text(pack.topics[topic_id], lang)[0].title


def answered_topic(question: str, lang: str) -> str | None:
    return library().answerer.match(question, chosen=lang).topic
