"""What a handler may use: the repository, the content, the user, their language, the clock, the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from content.library import Library
from content.region import Region
from handlers.i18n import Text, Translator
from handlers.types import Keyboard, Reply, Send
from models.pilots import PilotRepo
from models.repo import Repo
from models.tables import Role, User


@dataclass(frozen=True)
class Policy:
    """The slice of the settings the conversation logic needs."""

    coordinators: frozenset[int] = frozenset()
    retention_days: int = 365
    timezone: str = "Europe/Berlin"
    # True in `lotse chat`: allows the local `/as ROLE` switch.
    console: bool = False
    # Pilot offers: how long a volunteer has to answer; when the volunteer is asked how it goes.
    offer_hours: int = 24
    checkin_days: int = 14


@dataclass
class Context:
    repo: Repo
    translator: Translator
    library: Library
    now: datetime
    policy: Policy = field(default_factory=Policy)
    user: User | None = None
    lang: str = "en"
    telegram_id: int = 0  # of whoever caused the event (0 for the scheduler's rounds)

    @property
    def is_coordinator(self) -> bool:
        return self.user is not None and self.user.role == Role.coordinator

    @property
    def region(self) -> Region:
        return self.library.pack.region

    @property
    def t(self) -> Text:
        return self.translator(self.lang)

    @property
    def pilots(self) -> PilotRepo:
        return PilotRepo(self.repo.session)

    def await_text(self, kind: str, value: str = "", data: str | None = None) -> None:
        """The user's next text message is for the wait ``kind`` (handlers/routes.Wait), not a
        question; ``value`` says what for (a request id, say)."""
        assert self.user is not None
        self.user.awaiting, self.user.awaiting_since, self.user.awaiting_data = f"{kind}:{value}", self.now, data

    def clear_awaiting(self) -> None:
        if self.user is not None and self.user.awaiting is not None:
            self.user.awaiting, self.user.awaiting_since, self.user.awaiting_data = None, None, None

    def speak(self, user: User) -> Text:
        """The texts of another user's language, for a message to them."""
        return self.translator(user.language)

    def send(
        self, user: User, text: str, buttons: Keyboard = (), kind: str = "notice", relay: bool = False
    ) -> list[Send]:
        """A message to another user, through the outbox; nothing when they blocked the bot.
        With ``relay`` the sender is told if it turns out undeliverable."""
        if not user.active:
            return []
        origin = self.user.id if relay and self.user is not None else None
        return [Send(user.telegram_id, Reply(text, buttons), self.speak(user).rtl, user.id or 0, kind, origin=origin)]
