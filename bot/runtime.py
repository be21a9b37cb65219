"""process(incoming) -> actions: one database session per event, the messages for others
written to the outbox in the same transaction, errors turned into apologies."""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.locks import LocalLocks, UserLocks
from bot.render import Rows, rows, split_text
from content.languages import DEFAULT_LANGUAGE, supported
from content.library import Library
from handlers.context import Context, Policy
from handlers.dispatch import apology, dispatch, leave, tick, undeliverable
from handlers.i18n import Translator
from handlers.onboarding import command_menu
from handlers.types import Action, Incoming, Send
from models.outbox import OutboxRepo, encode_buttons
from models.repo import Repo, retention_cutoff
from models.tables import OutboxMessage

log = logging.getLogger("lotse")
# How long the office can read an unanswered question before its text is blanked.
QUESTION_TEXT_DAYS = 90
# How long the record of a delivery (no text: who, when, how it ended) is kept.
DELIVERY_RECORD_DAYS = 30

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def pseudonym(user_id: int) -> str:
    """A short stable tag for logs, so that no Telegram id is written in clear."""
    return hashlib.blake2b(str(user_id).encode(), digest_size=4, person=b"lotse-log").hexdigest()


def outbox_rows(actions: list[Action], now: datetime) -> list[OutboxMessage]:
    """The Send actions as outbox rows: one per Telegram message, the buttons on the last."""
    queued = []
    for send in actions:
        if not isinstance(send, Send):
            continue
        parts = split_text(send.reply.text)
        keyboard = rows(send.reply.buttons)
        for i, part in enumerate(parts):
            queued.append(
                OutboxMessage(
                    user_id=send.user_id,
                    chat_id=send.chat_id,
                    kind=send.kind,
                    priority=send.priority,
                    created_at=now,
                    due_at=now,
                    text=part,
                    buttons=encode_buttons(keyboard) if i == len(parts) - 1 else None,
                    origin_user_id=send.origin,
                )
            )
    return queued


class Runtime:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        translator: Translator,
        library: Library,
        policy: Policy,
        locks: UserLocks | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.translator = translator
        self.library = library
        self.policy = policy
        self.locks = locks or LocalLocks()
        self.clock = clock
        # Called after a commit that wrote to the outbox (the delivery worker's wake-up).
        self.enqueued: Callable[[], None] = lambda: None

    def _context(self, session: AsyncSession) -> Context:
        return Context(Repo(session), self.translator, self.library, self.clock(), self.policy)

    async def _commit(self, ctx: Context, actions: list[Action]) -> None:
        """Write the messages for others beside the decision, then commit both at once."""
        queued = outbox_rows(actions, ctx.now)
        outbox = OutboxRepo(ctx.repo.session)
        for row in queued:
            outbox.add(row)
        await ctx.repo.session.commit()
        if queued:
            self.enqueued()

    async def _handle(self, inc: Incoming, contexts: list[Context]) -> list[Action]:
        async with self.sessionmaker() as session:
            contexts.append(self._context(session))
            actions = await dispatch(inc, contexts[-1])
            await self._commit(contexts[-1], actions)
            return actions

    async def process(self, inc: Incoming) -> list[Action]:
        """The actions for one update. The Sends among them are already in the outbox."""
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
            _log_failure("handler failed", exc, f"on {inc.kind} from {pseudonym(inc.user_id)}")
            ctx = contexts[-1] if contexts else None
            known = ctx is not None and ctx.user is not None
            lang = ctx.lang if ctx and known else supported(inc.language_code) or DEFAULT_LANGUAGE
            return apology(self.translator(lang))

    async def wake(self) -> list[Action]:
        """The scheduler's minute (handlers.dispatch.tick); returns what it enqueued."""
        try:
            async with self.sessionmaker() as session:
                ctx = self._context(session)
                actions = await tick(ctx)
                await self._commit(ctx, actions)
                return actions
        except Exception as exc:  # noqa: BLE001 - the next minute tries again
            _log_failure("scheduled round failed", exc)
            return []

    async def defer(self, telegram_id: int, parts: list[tuple[str, Rows]]) -> None:
        """A direct reply Telegram would not take in time: the outbox sends the rest later."""
        try:
            async with self.sessionmaker() as session:
                user = await Repo(session).user(telegram_id)
                if user is None:  # no consent, nothing stored: the reply cannot wait for later
                    log.warning("reply to %s lost: Telegram unavailable", pseudonym(telegram_id))
                    return
                now = self.clock()
                outbox = OutboxRepo(session)
                for text, keyboard in parts:
                    outbox.add(
                        OutboxMessage(
                            user_id=user.id or 0,
                            chat_id=telegram_id,
                            kind="reply",
                            created_at=now,
                            due_at=now,
                            text=text,
                            buttons=encode_buttons(keyboard),
                        )
                    )
                await session.commit()
        except Exception as exc:  # noqa: BLE001 - Telegram and the database both down: nothing more to do
            log.error("reply to %s lost: %s", pseudonym(telegram_id), type(exc).__name__)
            return
        log.info("reply to %s left to the outbox (%d parts)", pseudonym(telegram_id), len(parts))
        self.enqueued()

    async def mark_unreachable(self, telegram_id: int, origin_user_id: int | None = None) -> None:
        """Telegram answered 403, or the user blocked the bot: nothing more is sent to them (what
        waits in the outbox is recorded as blocked), their pilot offers move on, and
        ``origin_user_id``, who wrote a relayed message to them, is told."""
        async with self.locks.hold(str(telegram_id)), self.sessionmaker() as session:
            ctx = self._context(session)
            ctx.user = await ctx.repo.user(telegram_id)
            actions: list[Action] = []
            if ctx.user is not None:
                ctx.user.active = False
                await OutboxRepo(session).drop_pending(telegram_id, ctx.now)
                origin = await ctx.repo.user_by_id(origin_user_id) if origin_user_id else None
                actions = await undeliverable(ctx, origin)
            await self._commit(ctx, actions)
        log.info("user %s blocked the bot", pseudonym(telegram_id))

    async def recipient_blocked(self, message: OutboxMessage) -> None:
        """The outbox worker's 403 (its ``on_blocked``)."""
        await self.mark_unreachable(message.chat_id, message.origin_user_id)

    async def purge_inactive(self) -> int:
        """Nightly: delete users past the retention period, one by one through the same path as
        /delete (their offers move on, the other side is told); blank the texts of unanswered
        questions after QUESTION_TEXT_DAYS (their counts stay) and prune old delivery records."""
        now = self.clock()
        cutoff = retention_cutoff(now, self.policy.retention_days)
        async with self.sessionmaker() as session:
            expired = await Repo(session).inactive_since(cutoff)
        deleted = 0
        for telegram_id in expired:
            try:
                async with self.locks.hold(str(telegram_id)), self.sessionmaker() as session:
                    ctx = self._context(session)
                    ctx.user = await ctx.repo.user(telegram_id)
                    if ctx.user is None or ctx.user.last_seen_at >= cutoff:
                        continue  # gone or back meanwhile
                    ctx.lang = ctx.user.language or DEFAULT_LANGUAGE
                    await self._commit(ctx, await leave(ctx))
                    deleted += 1
            except Exception as exc:  # noqa: BLE001 - the others are still due; this one tomorrow
                _log_failure("deleting an inactive user failed", exc)
        async with self.sessionmaker() as session:
            await Repo(session).forget_question_texts(now.date() - timedelta(days=QUESTION_TEXT_DAYS))
            await OutboxRepo(session).prune(now - timedelta(days=DELIVERY_RECORD_DAYS))
            await session.commit()
        if deleted:
            log.info("deleted %d inactive users", deleted)
        return deleted

    def command_menus(self) -> dict[str, list[tuple[str, str]]]:
        """Telegram's command menu per language code."""
        return {lang: command_menu(self.translator(lang)) for lang in self.translator.languages()}


def _log_failure(what: str, exc: BaseException, where: str = "") -> None:
    # The exception text can quote the user's message (SQL parameters, say): type and stack only.
    log.error("%s: %s %s\n%s", what, type(exc).__name__, where, "".join(traceback.format_tb(exc.__traceback__)))
