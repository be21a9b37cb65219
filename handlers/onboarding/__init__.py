"""Onboarding: consent, language, role, welcome; /start, /language, /help."""

from handlers import buttons
from handlers.onboarding.start import (
    command_menu,
    consent,
    consent_prompt,
    help_,
    help_text,
    invitation,
    language,
    language_chosen,
    onboarding_language,
    privacy_text,
    role_chosen,
    role_name,
    stale_button,
    start,
    switch_role,
    welcome,
)
from handlers.routes import Routes

ROUTES = Routes(
    commands={"start": start, "language": language, "help": help_},
    buttons={
        buttons.Consent: consent,
        buttons.OnboardingLanguage: onboarding_language,
        buttons.ChooseLanguage: language_chosen,
        buttons.ChooseRole: role_chosen,
    },
)

__all__ = [
    "ROUTES",
    "command_menu",
    "consent_prompt",
    "help_text",
    "invitation",
    "privacy_text",
    "role_name",
    "stale_button",
    "switch_role",
    "welcome",
]
