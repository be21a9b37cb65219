"""The `lotse` command line (Typer)."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys

import typer

from bot.config import SettingError, Settings, load_settings

app = typer.Typer(
    help="lotse: a chat bot for a town's newcomers, volunteer pilots and integration office.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingError as exc:
        typer.echo(f"lotse: {exc}", err=True)
        raise typer.Exit(2) from None


def _logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Library loggers at INFO print request details; keep them quieter.
    for name in ("aiogram.event", "httpx", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


@app.command()
def run() -> None:
    """Run the bot on Telegram (long polling, or webhook when LOTSE_WEBHOOK_URL is set)."""
    settings = _settings()
    try:
        settings.token()
    except SettingError as exc:
        typer.echo(f"lotse: {exc}", err=True)
        raise typer.Exit(2) from None
    _logging(settings)
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    from bot.app import build
    from bot.scheduler import start_scheduler

    if settings.transport == "ptb":
        from bot.ptb_app import run as run_transport
    else:
        from bot.aiogram_app import run as run_transport

    application = await build(settings)
    tune_garbage_collector()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    scheduler = start_scheduler(application)
    logging.getLogger("lotse").info("lotse running (%s, region %s)", settings.transport, settings.region)
    try:
        await run_transport(application, stop)
    finally:
        scheduler.shutdown(wait=False)
        await application.close()
        logging.getLogger("lotse").info("lotse stopped")


def tune_garbage_collector() -> None:
    """Keep Python's cycle collector from eating the CPU of a long-running bot.

    The Telegram libraries create hundreds of thousands of long-lived objects at import and
    every update allocates many short-lived ones, so with the default thresholds (700) the
    collector ran ~900 times for 2,000 updates and halved throughput (bench/throughput.py).
    Objects alive after start-up are frozen out of its view, and it runs every 50,000
    allocations instead; cyclic garbage is then freed a little later, which costs little memory.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)


@app.command()
def chat(
    user_id: int = typer.Option(1, help="The local user's id (several people can try it on one database)."),
) -> None:
    """Chat with lotse in the terminal: no token needed, embedded SQLite database."""
    settings = _settings()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    async def main() -> None:
        from bot.app import build
        from bot.console import chat as console_chat

        application = await build(settings, console=True)
        try:
            await console_chat(application.runtime, user_id)
        finally:
            await application.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.stdout.write("\n")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply the database migrations (Alembic) up to REVISION."""
    settings = _settings()

    async def main() -> None:
        from models.db import make_engine, upgrade

        engine = make_engine(settings.database_url)
        try:
            await upgrade(engine, revision)
        finally:
            await engine.dispose()

    asyncio.run(main())
    typer.echo(f"database at {revision}")
