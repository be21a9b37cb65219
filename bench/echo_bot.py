"""A bare aiogram echo bot: the baseline for bench/throughput.py. Reads the same settings."""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BotCommand, Message


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["LOTSE_TELEGRAM_API_URL"]))
    bot = Bot(os.environ["LOTSE_TELEGRAM_TOKEN"], session=session)
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    # Signal readiness the same way lotse does: by setting its command menu.
    for lang in ("ar", "uk"):
        await bot.set_my_commands([BotCommand(command="start", description="start")], language_code=lang)
    await dispatcher.start_polling(bot)


if __name__ == "__main__":
    asyncio.run(main())
