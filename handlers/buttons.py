"""Every button payload, as a typed value: how it is written (``str(payload)``, at most 64 bytes
as Telegram allows), parsed back (``parse``) and who may press it.

A payload is ``prefix:field:field…``. Parsing is strict: the prefix must be known, the number
of fields right, integers digits, choices one of their values, free words plain. Anything else
is not a button of ours (an old or forged one) and gets "this button is no longer valid".
The dispatcher (handlers/dispatch.py) parses and checks the role before any handler runs.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, fields
from typing import ClassVar, Literal

from content.languages import LANGUAGES

MAX_BYTES = 64
_WORD = re.compile(r"^[A-Za-z0-9._-]{0,48}$")
_NUMBER = re.compile(r"^[0-9]{1,12}$")  # ASCII only: str.isdigit() also takes "١٢"


class Payload:
    """Base of every payload; subclasses are frozen dataclasses whose fields follow the prefix."""

    prefix: ClassVar[str]
    # Who may press it: None is anyone who gave consent; a set names the roles.
    roles: ClassVar[frozenset[str] | None] = None
    # False for the buttons of onboarding that come before consent.
    needs_user: ClassVar[bool] = True

    def __str__(self) -> str:
        values = [str(getattr(self, f.name)) for f in fields(self)]  # type: ignore[arg-type]
        data = ":".join([self.prefix, *values]) if values else self.prefix + ":"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"button payload longer than {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def valid_word(cls, name: str, value: str) -> bool:
        """Extra check of a free-word field (a language code must be one we speak, say)."""
        return True


KINDS: dict[str, type[Payload]] = {}


def payload(cls: type[Payload]) -> type[Payload]:
    """Register a payload class under its prefix (each prefix once)."""
    if cls.prefix in KINDS:
        raise ValueError(f"button prefix {cls.prefix!r} used twice")
    KINDS[cls.prefix] = cls
    return cls


def parse(data: str) -> Payload | None:
    """The payload a button carries, or None when it is not one of ours."""
    if len(data.encode()) > MAX_BYTES:
        return None
    prefix, _, rest = data.partition(":")
    cls = KINDS.get(prefix)
    if cls is None:
        return None
    specs = fields(cls)  # type: ignore[arg-type]
    values = rest.split(":") if specs else ([] if rest == "" else None)
    if values is None or len(values) != len(specs):
        return None
    hints = typing.get_type_hints(cls)
    parsed: dict[str, object] = {}
    for spec, value in zip(specs, values, strict=True):
        kind = hints[spec.name]
        if kind is int:
            if not _NUMBER.match(value):
                return None
            parsed[spec.name] = int(value)
        elif typing.get_origin(kind) is Literal:
            if value not in typing.get_args(kind):
                return None
            parsed[spec.name] = value
        elif not _WORD.match(value) or not cls.valid_word(spec.name, value):
            return None
        else:
            parsed[spec.name] = value
    return cls(**parsed)


COORDINATORS = frozenset({"coordinator"})
VOLUNTEERS = frozenset({"volunteer", "coordinator"})


# --- onboarding ---------------------------------------------------------------------------
@payload
@dataclass(frozen=True)
class Consent(Payload):
    prefix = "consent"
    needs_user = False
    answer: Literal["yes", "no"]


class _LanguageCode(Payload):
    @classmethod
    def valid_word(cls, name: str, value: str) -> bool:
        return value in LANGUAGES


@payload
@dataclass(frozen=True)
class OnboardingLanguage(_LanguageCode):
    """The language chosen during /start; the role question follows."""

    prefix = "onboard-lang"
    code: str


@payload
@dataclass(frozen=True)
class ChooseLanguage(_LanguageCode):
    """The language chosen with /language or the switch under an answer."""

    prefix = "lang"
    code: str


@payload
@dataclass(frozen=True)
class ChooseRole(Payload):
    prefix = "role"
    role: Literal["newcomer", "volunteer"]


# --- questions ----------------------------------------------------------------------------
@payload
@dataclass(frozen=True)
class ShowTopic(Payload):
    prefix = "topic"
    topic: str


@payload
@dataclass(frozen=True)
class ShowGroup(Payload):
    """A group of topics; the empty group goes back to the overview."""

    prefix = "group"
    group: str = ""


@payload
@dataclass(frozen=True)
class AllTopics(Payload):
    prefix = "topics"


@payload
@dataclass(frozen=True)
class AnswerFeedback(Payload):
    """ "This helped" (y) or "did not help" (n) under an answer."""

    prefix = "fb"
    verdict: Literal["y", "n"]
    topic: str


# --- privacy ------------------------------------------------------------------------------
@payload
@dataclass(frozen=True)
class DeleteAccount(Payload):
    prefix = "delete"
    answer: Literal["yes", "no"]


# --- text waits ---------------------------------------------------------------------------
@payload
@dataclass(frozen=True)
class CancelWait(Payload):
    """Leave a prompt that waits for text (a message to relay, a note, a reason)."""

    prefix = "wait"
    action: Literal["cancel"] = "cancel"


# --- pilots -------------------------------------------------------------------------------
@payload
@dataclass(frozen=True)
class PilotForm(Payload):
    """A press in the newcomer's /pilot form; what ``value`` may be depends on ``field``."""

    prefix = "pf"
    request: int
    field: Literal["lang", "area", "dist", "time", "pref", "go", "send", "cancel"]
    value: str = ""


@payload
@dataclass(frozen=True)
class VolunteerForm(Payload):
    """A press in the volunteer's /volunteer form or profile."""

    prefix = "vf"
    field: Literal["lang", "area", "dist", "time", "cap", "woman", "go", "pause"]
    value: str = ""


@payload
@dataclass(frozen=True)
class OfferAnswer(Payload):
    prefix = "offer"
    roles = VOLUNTEERS
    choice: Literal["a", "d"]  # accept, decline
    offer: int


@payload
@dataclass(frozen=True)
class Pilotage(Payload):
    """In a running pilotage: write (w), share contacts (s), end (e), end confirmed (E), keep (k)."""

    prefix = "pil"
    action: Literal["w", "s", "e", "E", "k"]
    request: int


@payload
@dataclass(frozen=True)
class PilotageFeedback(Payload):
    prefix = "pfb"
    request: int
    rating: Literal["good", "ok", "bad"]


@payload
@dataclass(frozen=True)
class Checkin(Payload):
    prefix = "chk"
    roles = VOLUNTEERS
    request: int
    answer: Literal["ok", "help"]


@payload
@dataclass(frozen=True)
class Vet(Payload):
    """Coordinators: approve (ok), reject (no), deactivate (off) a volunteer; or the next page."""

    prefix = "vet"
    roles = COORDINATORS
    action: Literal["ok", "no", "off", "page"]
    target: int


@payload
@dataclass(frozen=True)
class MatchDecision(Payload):
    prefix = "match"
    roles = COORDINATORS
    answer: Literal["go", "no"]
