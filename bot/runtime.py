"""process(incoming) -> actions: one database session per event, errors turned into apologies."""

from __future__ import annotations

import hashlib
import logging
import traceback
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.locks import LocalLocks, UserLocks
from content.languages import DEFAULT_LANGUAGE, supported
from content.library import Library
from handlers.context import Context, Policy
from handlers.dispatch import apology, dispatch, tick
from handlers.i18n import Translator
from handlers.start import command_menu
from handlers.types import Action, Incoming
from models.repo import Repo, retention_cutoff

log = logging.getLogger("lotse")
# How long the office can read an unanswered question before its text is blanked.
QUESTION_TEXT_DAYS = 90


def pseudonym(user_id: int) -> str:
    """A short stable tag for logs, so that no Telegram id is written in clear."""
    return hashlib.blake2b(str(user_id).encode(), digest_size=4, person=b"lotse-log").hexdigest()


class Runtime:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        translator: Translator,
        library: Library,
        policy: Policy,
        locks: UserLocks | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.translator = translator
        self.library = library
        self.policy = policy
        self.locks = locks or LocalLocks()

    def _context(self, session: AsyncSession) -> Context:
        return Context(Repo(session), self.translator, self.library, datetime.now(UTC), self.policy)

    async def _handle(self, inc: Incoming, contexts: list[Context]) -> list[Action]:
        async with self.sessionmaker() as session:
            contexts.append(self._context(session))
            actions = await dispatch(inc, contexts[-1])
            await session.commit()
            return actions

    async def process(self, inc: Incoming) -> list[Action]:
        contexts: list[Context] = []  # the apology below speaks the language found so far
        try:
            async with self.locks.hold(str(inc.user_id)):
                try:
                    return await self._handle(inc, contexts)
                except DBAPIError as exc:
                    if not exc.connection_invalidated:
                        raise
                    log.warning("database connection lost; retrying on a new one")
                    return await self._handle(inc, contexts)
        except Exception as exc:  # noqa: BLE001 - the bot must keep running
            # The exception text can quote the user's message (SQL parameters, say):
            # log its type and stack only.
            log.error(
                "handler failed: %s on %s from %s\n%s",
                type(exc).__name__,
                inc.kind,
                pseudonym(inc.user_id),
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            ctx = contexts[-1] if contexts else None
            known = ctx is not None and ctx.user is not None
            lang = ctx.lang if ctx and known else supported(inc.language_code) or DEFAULT_LANGUAGE
            return apology(self.translator(lang))

    async def wake(self) -> list[Action]:
        """The scheduler's minute (handlers.dispatch.tick); returns the messages to send."""
        try:
            async with self.sessionmaker() as session:
                actions = await tick(self._context(session))
                await session.commit()
                return actions
        except Exception as exc:  # noqa: BLE001 - the next minute tries again
            log.error(
                "scheduled round failed: %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__))
            )
            return []

    async def mark_unreachable(self, telegram_id: int) -> None:
        """Telegram answered 403: the user blocked the bot; send them nothing more."""
        async with self.sessionmaker() as session:
            await Repo(session).mark_unreachable(telegram_id)
            await session.commit()
        log.info("user %s blocked the bot", pseudonym(telegram_id))

    async def purge_inactive(self) -> int:
        """Nightly: delete users past the retention period, and blank the texts of unanswered
        questions after QUESTION_TEXT_DAYS (their counts stay for the statistics)."""
        now = datetime.now(UTC)
        async with self.sessionmaker() as session:
            repo = Repo(session)
            count = await repo.purge_inactive(retention_cutoff(now, self.policy.retention_days))
            await repo.forget_question_texts(now.date() - timedelta(days=QUESTION_TEXT_DAYS))
            await session.commit()
        if count:
            log.info("deleted %d inactive users", count)
        return count

    def command_menus(self) -> dict[str, list[tuple[str, str]]]:
        """Telegram's command menu per language code."""
        return {lang: command_menu(self.translator(lang)) for lang in self.translator.languages()}
