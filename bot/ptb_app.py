"""The python-telegram-bot transport (LOTSE_TRANSPORT=ptb): the same runtime on PTB's Application."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import App
from bot.events import button_event, message_event
from bot.render import Rows
from bot.sending import REQUEST_TIMEOUT, Rejected, Responder, RetryLater, Transient, Unreachable
from bot.service import Service

log = logging.getLogger("lotse.ptb")


def _markup(keyboard: Rows) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in keyboard]
    )


class PtbOps:
    """TelegramOps over PTB's Bot, with its errors mapped to ours."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.bot = application.bot

    async def _call(self, coro):  # type: ignore[no-untyped-def]
        try:
            return await coro
        except RetryAfter as exc:
            wait = exc.retry_after
            raise RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait)) from None
        except Forbidden:
            raise Unreachable() from None
        except BadRequest as exc:  # before NetworkError: PTB derives BadRequest from it
            raise Rejected(exc.message) from None
        except Exception as exc:  # noqa: BLE001 - 5xx, timeouts, network: worth another try
            raise Transient(type(exc).__name__) from None

    async def send_text(self, chat_id: int, text: str, keyboard: Rows) -> None:
        await self._call(
            self.bot.send_message(chat_id, text, reply_markup=_markup(keyboard), read_timeout=REQUEST_TIMEOUT)
        )

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Rows) -> bool:
        try:
            await self._call(
                self.bot.edit_message_text(
                    text,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=_markup(keyboard),
                    read_timeout=REQUEST_TIMEOUT,
                )
            )
        except Rejected:  # too old, deleted, or unchanged: send a new message instead
            return False
        return True

    async def answer_button(self, callback_id: str, text: str) -> None:
        await self._call(self.bot.answer_callback_query(callback_id, text=text or None, read_timeout=REQUEST_TIMEOUT))

    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> None:
        await self._call(
            self.bot.send_document(
                chat_id,
                InputFile(content, filename=filename),
                caption=caption or None,
                read_timeout=REQUEST_TIMEOUT * 3,
                write_timeout=REQUEST_TIMEOUT * 3,
            )
        )


def build_application(app: App) -> tuple[Application, Responder]:  # type: ignore[type-arg]
    settings = app.settings
    api = settings.telegram_api_url
    application = (
        ApplicationBuilder()
        .token(settings.token())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .concurrent_updates(True)
        .connection_pool_size(64)
        .build()
    )
    runtime = app.runtime
    responder = Responder(runtime, PtbOps(application))

    async def on_message(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message is not None:
            await responder.respond(message_event(update.message, edited=False))
        elif update.edited_message is not None:
            await responder.respond(message_event(update.edited_message, edited=True))

    async def on_button(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await responder.respond(button_event(query), callback_id=query.id)

    async def on_member(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        member = update.my_chat_member
        if member and member.chat.type == "private" and member.new_chat_member.status == "kicked":
            await runtime.mark_unreachable(member.from_user.id)

    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE, on_message))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    return application, responder


async def set_commands(app: App, application: Application) -> None:  # type: ignore[type-arg]
    for lang, menu in app.runtime.command_menus().items():
        commands = [BotCommand(name, text) for name, text in menu]
        await application.bot.set_my_commands(commands, language_code=lang)
        if lang == "en":
            await application.bot.set_my_commands(commands)


ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


async def run(app: App, stop: asyncio.Event, service: Service) -> None:
    """Serve until ``stop``, then drain: no new updates, the rounds in flight finish, the
    service (outbox, clock) stops while the bot can still send."""
    application, responder = build_application(app)
    settings = app.settings
    async with application:
        await set_commands(app, application)
        await application.start()
        await service.started(responder.ops)
        assert application.updater is not None
        if settings.webhook_url:
            host, _, port = settings.webhook_listen.rpartition(":")
            await application.updater.start_webhook(
                listen=host,
                port=int(port),
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        try:
            await stop.wait()
            await application.updater.stop()
            await responder.drain(service.DRAIN_SECONDS)
        finally:
            await service.stopping()
            await application.stop()
