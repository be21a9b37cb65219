"""Settings from the environment (prefix LOTSE_) and from a .env file."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from content.region import available_regions

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOTSE_", env_file=".env", extra="ignore")

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    transport: Literal["aiogram", "ptb"] = "aiogram"
    database_url: str = "sqlite+aiosqlite:///./lotse.db"
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8080"
    coordinators: Annotated[frozenset[int], NoDecode] = frozenset()
    region: str = "soest"
    timezone: str = "Europe/Berlin"
    retention_days: int = Field(default=365, ge=1, le=3650)
    # Pilot offers: hours a volunteer has to accept or decline; days until the volunteer check-in.
    offer_timeout_hours: int = Field(default=24, ge=1, le=24 * 14)
    checkin_days: int = Field(default=14, ge=1, le=365)
    # Messages per second the outbox sends at most (Telegram allows about 30 in all).
    send_rate: float = Field(default=25, gt=0, le=1000)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("coordinators", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in re.split(r"[,\s]+", value.strip()) if part)
        return value

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value not in available_regions():
            raise ValueError(f"unknown region; available: {', '.join(available_regions())}")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a time zone name such as Europe/Berlin") from None
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError("must be HOST:PORT, for example 0.0.0.0:8080")
        return value

    def token(self) -> str:
        """The bot token, checked; raises SettingError naming the variable."""
        if self.telegram_token is None or not self.telegram_token.get_secret_value():
            raise SettingError("LOTSE_TELEGRAM_TOKEN is not set (get one from @BotFather)")
        token = self.telegram_token.get_secret_value()
        if not TOKEN_PATTERN.match(token):
            raise SettingError("LOTSE_TELEGRAM_TOKEN is malformed (expected digits:secret from @BotFather)")
        return token


class SettingError(Exception):
    """A bad or missing setting; the message is the one line shown to the operator."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "LOTSE_" + str(error["loc"][0]).upper() if error["loc"] else "LOTSE_*"
        raise SettingError(f"{name}: {error['msg']}") from None
