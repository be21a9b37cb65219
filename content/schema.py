"""The shape of a topic file (see content/SCHEMA.md) and how a translation is tied to its source."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from content.languages import LANGUAGES

SOURCE_LANGUAGE = "de"
TOPIC_ID = re.compile(r"^[a-z]+(\.[a-z]+(-[a-z]+)*)?$")


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: str = Field(description="seed file name, or 'general' for general knowledge")
    document: str
    section: str


class Block(BaseModel):
    """One language's text of a topic. German is the source; the others carry the source hash."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=2, max_length=60)
    answer: str = Field(min_length=20, max_length=1400)
    questions: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    source_hash: str | None = None

    @field_validator("answer")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    source: Source
    as_of: date
    related: list[str] = Field(default_factory=list)
    texts: dict[str, Block] = Field(description="language code -> block; German is the source")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not TOPIC_ID.match(value):
            raise ValueError(f"not a topic ID: {value!r}")
        return value

    @property
    def group(self) -> str:
        return self.id.split(".")[0]

    @property
    def german(self) -> Block:
        return self.texts[SOURCE_LANGUAGE]

    def current(self, lang: str) -> Block | None:
        """The block in ``lang`` if it exists and was made from the present German text."""
        block = self.texts.get(lang)
        if block is None or lang == SOURCE_LANGUAGE:
            return block
        return block if block.source_hash == source_hash(self.german) else None


META_KEYS = ("id", "source", "as_of", "related")


def topic_from_raw(raw: dict) -> Topic:
    """Split a topic file's mapping into metadata and language blocks; unknown keys are an error."""
    unknown = sorted(set(raw) - set(META_KEYS) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(map(str, unknown))}")
    texts = {lang: raw[lang] for lang in LANGUAGES if raw.get(lang) is not None}
    if SOURCE_LANGUAGE not in texts:
        raise ValueError("the German source text (de) is missing")
    return Topic.model_validate({**{k: raw[k] for k in META_KEYS if k in raw}, "texts": texts})


def source_hash(block: Block) -> str:
    """Fingerprint of the German title and answer a translation was made from."""
    text = f"{block.title.strip()}\n{block.answer.strip()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
