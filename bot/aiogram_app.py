"""The aiogram transport (default): one catch-all router, long polling or webhook. Updates go
to the shared round (bot/sending.Responder); Telegram's errors are mapped to ours here."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiohttp import web

from bot.app import App
from bot.events import button_event, message_event
from bot.render import Rows
from bot.sending import REQUEST_TIMEOUT, Rejected, Responder, RetryLater, Transient, Unreachable
from bot.service import Service

log = logging.getLogger("lotse.aiogram")


def _markup(keyboard: Rows) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in keyboard
        ]
    )


class AiogramOps:
    """TelegramOps over an aiogram Bot, with its errors mapped to ours."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def _call(self, coro):  # type: ignore[no-untyped-def]
        try:
            return await coro
        except TelegramRetryAfter as exc:
            raise RetryLater(exc.retry_after) from None
        except TelegramForbiddenError:
            raise Unreachable() from None
        except (TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge) as exc:
            raise Rejected(exc.message) from None
        except Exception as exc:  # noqa: BLE001 - 5xx, timeouts, network: worth another try
            raise Transient(type(exc).__name__) from None

    async def send_text(self, chat_id: int, text: str, keyboard: Rows) -> None:
        await self._call(
            self.bot.send_message(chat_id, text, reply_markup=_markup(keyboard), request_timeout=int(REQUEST_TIMEOUT))
        )

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Rows) -> bool:
        try:
            await self._call(
                self.bot.edit_message_text(
                    text=text,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=_markup(keyboard),
                    request_timeout=int(REQUEST_TIMEOUT),
                )
            )
        except Rejected:  # too old, deleted, or unchanged: send a new message instead
            return False
        return True

    async def answer_button(self, callback_id: str, text: str) -> None:
        await self._call(
            self.bot.answer_callback_query(callback_id, text=text or None, request_timeout=int(REQUEST_TIMEOUT))
        )

    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> None:
        await self._call(
            self.bot.send_document(
                chat_id,
                BufferedInputFile(content, filename),
                caption=caption or None,
                request_timeout=int(REQUEST_TIMEOUT) * 3,
            )
        )


def build_dispatcher(app: App, responder: Responder) -> Dispatcher:
    runtime = app.runtime
    router = Router(name="lotse")

    @router.message()
    async def on_message(message: Message) -> None:
        await responder.respond(message_event(message))

    @router.edited_message()
    async def on_edited(message: Message) -> None:
        await responder.respond(message_event(message, edited=True))

    @router.callback_query()
    async def on_button(query: CallbackQuery) -> None:
        await responder.respond(button_event(query), callback_id=query.id)

    @router.my_chat_member()
    async def on_member(update: ChatMemberUpdated) -> None:
        if update.chat.type == "private" and update.new_chat_member.status == "kicked":
            await runtime.mark_unreachable(update.from_user.id)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


def make_bot(app: App) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(app.settings.telegram_api_url))
    return Bot(app.settings.token(), session=session)


async def set_commands(app: App, bot: Bot) -> None:
    for lang, menu in app.runtime.command_menus().items():
        commands = [BotCommand(command=name, description=text) for name, text in menu]
        await bot.set_my_commands(commands, language_code=lang)
        if lang == "en":
            await bot.set_my_commands(commands)


async def run(app: App, stop: asyncio.Event, service: Service) -> None:
    """Serve until ``stop``, then drain: no new updates, the rounds in flight finish, the
    service (outbox, clock) stops while the bot can still send."""
    bot = make_bot(app)
    ops = AiogramOps(bot)
    responder = Responder(app.runtime, ops)
    dispatcher = build_dispatcher(app, responder)
    allowed = dispatcher.resolve_used_update_types()
    try:
        await set_commands(app, bot)
        await service.started(ops)
        if app.settings.webhook_url:
            await _run_webhook(app, bot, dispatcher, allowed, stop)
        else:
            await _run_polling(bot, dispatcher, allowed, stop)
        await responder.drain(service.DRAIN_SECONDS)
    finally:
        await service.stopping()
        await bot.session.close()


async def _run_polling(bot: Bot, dispatcher: Dispatcher, allowed: list[str], stop: asyncio.Event) -> None:
    await bot.delete_webhook()
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, allowed_updates=allowed, close_bot_session=False)
    )
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if not polling.done():
        await dispatcher.stop_polling()
    await polling


async def _run_webhook(app: App, bot: Bot, dispatcher: Dispatcher, allowed: list[str], stop: asyncio.Event) -> None:
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    web_app = web.Application()
    path = urlparse(settings.webhook_url or "").path or "/"
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret).register(web_app, path=path)
    setup_application(web_app, dispatcher, bot=bot)
    host, _, port = settings.webhook_listen.rpartition(":")
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, host, int(port)).start()
    await bot.set_webhook(settings.webhook_url or "", secret_token=secret, allowed_updates=allowed)
    log.info("webhook listening on %s", settings.webhook_listen)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
