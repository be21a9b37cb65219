"""The `lotse` command line (Typer)."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.config import SettingError, Settings, load_settings
from content.languages import LANGUAGES

if TYPE_CHECKING:
    from bot.app import App

app = typer.Typer(
    help="lotse: a chat bot for a town's newcomers, volunteer pilots and integration office.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")
content_app = typer.Typer(help="The content base: check it, import translations.", no_args_is_help=True)
app.add_typer(content_app, name="content")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingError as exc:
        typer.echo(f"lotse: {exc}", err=True)
        raise typer.Exit(2) from None


def _logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Library loggers at INFO print request details, and database drivers at DEBUG print
    # query parameters (message texts): keep them quieter whatever the level.
    for name in ("aiogram.event", "httpx", "apscheduler", "aiosqlite", "asyncpg", "sqlalchemy.engine"):
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
    from bot.service import Service

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
    loop.add_signal_handler(signal.SIGHUP, _reload_content, application)
    log = logging.getLogger("lotse")
    log.info("lotse running (%s, region %s)", settings.transport, settings.region)
    try:
        await run_transport(application, stop, Service(application))
    finally:
        await application.close()
        log.info("lotse stopped")


def _reload_content(application: App) -> None:
    """SIGHUP: read the content files again; a broken file is left out and logged by name."""
    pack = application.runtime.library.reload()
    log = logging.getLogger("lotse")
    log.info("content reloaded: %d topics", len(pack.topics))
    for problem in pack.problems:
        log.warning("content problem: %s", problem)


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


@app.command()
def ask(
    question: str | None = typer.Argument(None, help="The question; without it, one question per line from stdin."),
    lang: str | None = typer.Option(
        None, "--lang", help="Answer in this language (de, en, ar, uk, fa, ru, tr, ps, ku, ti)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help='One JSON object per line: {"topic", "lang", "confidence", "answer"}.'
    ),
) -> None:
    """Answer a question from the content base, as the bot would (no database, nothing logged)."""
    from bot.ask import Asker

    settings = _settings()
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"lotse: --lang must be one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(2)
    asker = Asker(settings.region)
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    for text in questions:
        if question is None and not text.strip():
            continue
        result = asker.ask(text, lang)
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
        else:
            typer.echo(result["answer"] + ("\n" if question is None else ""))


@content_app.command("check")
def content_check() -> None:
    """Validate every region pack: schema, every topic in every language, outdated translations, contacts."""
    from content.check import check_all

    problems, summary = check_all()
    for line in summary:
        typer.echo(line)
    if problems:
        typer.echo(f"{len(problems)} problem(s):", err=True)
        for problem in problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("content ok")


@content_app.command("import")
def content_import(lang: str, delivery: Path) -> None:
    """Write a translator's delivery (YAML) for LANG into the topic files, stamped with the source hash."""
    import yaml

    from content.translations import import_translations

    try:
        done = import_translations(lang, yaml.safe_load(delivery.read_text(encoding="utf-8")))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        typer.echo(f"lotse: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{lang}: {len(done)} entries imported")
