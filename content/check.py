"""`lotse content check`: everything that must hold before content reaches users."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from content.langid import script
from content.languages import LANGUAGES
from content.pack import ContentPack, load_pack
from content.region import available_regions
from content.schema import SOURCE_LANGUAGE, Block, Topic, source_hash

# The stable IDs of shared/spec/topics.md: the default region must answer all of them.
CATALOGUE = (
    "language.integration-course", "language.literacy-course", "language.course-childcare",
    "language.free-offers", "kita.registration", "kita.waiting-list", "kita.childminder", "kita.costs",
    "school.enrolment", "school.vocational", "housing.search", "housing.accommodation", "housing.wbs",
    "housing.wohngeld", "work.permission", "work.jobcenter", "work.recognition", "health.doctor",
    "community.women", "community.leisure", "volunteer.join", "pilot.request",
    "contact.integration-office", "emergency",
)  # fmt: skip
DEFAULT_REGION = "soest"

SCRIPT_OF = {"ar": "arabic", "fa": "arabic", "ps": "arabic", "uk": "cyrillic", "ru": "cyrillic", "ti": "ethiopic"}
_URL = re.compile(r"(?:https?://|www\.)[^\s)»”\"]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"\d[\d ]{4,}\d")  # phone numbers and other long numbers
_LEFTOVER = re.compile(r"%\(|\{\w*\}|\bTODO\b|\bTBD\b|\bXXX\b")


def check_all() -> tuple[list[str], list[str]]:
    """(problems, summary lines) over every region pack."""
    problems: list[str] = []
    summary: list[str] = []
    for region in available_regions():
        pack = load_pack(region)
        found = check_pack(pack)
        problems += [f"{region}: {p}" for p in found]
        missing = [t for t in CATALOGUE if t not in pack.topics]
        if missing and region == DEFAULT_REGION:
            problems += [f"{region}: catalogue topic missing: {t}" for t in missing]
        texts = sum(len(t.texts) for t in pack.topics.values())
        line = f"{region}: {len(pack.topics)} topics, {texts} texts in {len(LANGUAGES)} languages"
        if missing and region != DEFAULT_REGION:
            line += f"; not covered in this town ({len(missing)}): {', '.join(missing)}"
        summary.append(line)
    return problems, summary


def check_pack(pack: ContentPack) -> list[str]:
    problems = list(pack.problems)
    for topic in pack.topics.values():
        problems += [f"{topic.id}: {p}" for p in check_topic(topic, pack)]
    for group in pack.group_ids():
        lacking = [lang for lang in LANGUAGES if lang not in pack.groups.get(group, {})]
        if lacking:
            problems.append(f"groups.yaml: {group} has no title in {', '.join(lacking)}")
    return problems


def check_topic(topic: Topic, pack: ContentPack) -> list[str]:
    problems = [
        f"related topic {r} does not exist" for r in topic.related if r not in pack.topics and r not in CATALOGUE
    ]
    german = topic.german
    expected = source_hash(german)
    facts = _facts(german)
    for lang in LANGUAGES:
        block = topic.texts.get(lang)
        if block is None:
            problems.append(f"[{lang}] translation missing")
            continue
        if lang != SOURCE_LANGUAGE and block.source_hash != expected:
            problems.append(f"[{lang}] outdated: made from {block.source_hash}, the German text is now {expected}")
        problems += [f"[{lang}] {p}" for p in check_block(block, lang)]
        if lang != SOURCE_LANGUAGE and _facts(block) != facts:
            problems.append(f"[{lang}] phone numbers, e-mails or links differ from the German text")
    return problems


def check_block(block: Block, lang: str) -> list[str]:
    problems = []
    if len(block.questions) < 3:
        problems.append("fewer than 3 question phrasings")
    expected_script = SCRIPT_OF.get(lang, "latin")
    if script(block.answer) != expected_script:
        problems.append(f"answer is not written in {expected_script} script")
    for text in (block.title, block.answer):
        if _LEFTOVER.search(text):
            problems.append(f"leftover placeholder or marker: {_LEFTOVER.search(text).group(0)!r}")  # type: ignore[union-attr]
    for url in _URL.findall(block.answer):
        parsed = urlparse(url if url.startswith("http") else f"https://{url}")
        if not parsed.netloc or "." not in parsed.netloc:
            problems.append(f"malformed link: {url}")
    return problems


def _facts(block: Block) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """What a translation must keep exactly: long numbers (phones), e-mail addresses, links."""
    text = block.answer
    numbers = frozenset(n.replace(" ", "") for n in _NUMBER.findall(text))
    return numbers, frozenset(_EMAIL.findall(text)), frozenset(u.rstrip(".,;") for u in _URL.findall(text))
