"""`lotse ask`: the answer the bot would give, for scripts and for checking the content."""

from __future__ import annotations

from typing import Any

from content.library import Library
from handlers.bidi import isolate_ltr_runs
from handlers.i18n import Translator
from handlers.onboarding import invitation
from handlers.questions.answers import answer_text, dont_know_text


class Asker:
    def __init__(self, region_id: str) -> None:
        self.library = Library(region_id)
        self.translator = Translator()

    def ask(self, question: str, lang: str | None = None) -> dict[str, Any]:
        """``{"topic", "lang", "confidence", "answer"}``; ``lang`` (the user's choice) wins over detection."""
        answerer = self.library.answerer
        match = answerer.match(question, chosen=lang)
        t = self.translator(match.lang)
        if match.small_talk:
            text = invitation(t, answerer.pack.region)
        elif match.topic is None:
            text = dont_know_text(t, answerer.pack.region, passed_on=False)
        else:
            text, _ = answer_text(t, answerer.pack, answerer.pack.topics[match.topic])
        if t.rtl:
            text = isolate_ltr_runs(text)
        return {"topic": match.topic, "lang": match.lang, "confidence": round(match.confidence, 3), "answer": text}
