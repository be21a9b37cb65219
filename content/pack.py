"""A region's content pack: its office, its topics (plus the common ones) and the topic groups.

Files: ``content/data/<region>/region.yaml``, ``content/data/<region>/topics/*.yaml``,
``content/data/common/*.yaml`` (topics valid in every town), ``content/data/groups.yaml`` and
``content/data/out-of-scope.yaml`` (kinds of questions lotse must not answer) and
``content/data/small-talk.yaml`` (greetings and thanks).
A file that does not validate is left out of the pack and reported in ``problems``; the
``lotse content check`` command turns problems into exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from content.languages import LANGUAGES
from content.region import DATA_DIR, Region, load_region
from content.schema import SOURCE_LANGUAGE, Block, Topic, topic_from_raw

OUT_OF_SCOPE = "out-of-scope"  # kinds of questions lotse must not answer (weather, one's asylum case)
SMALL_TALK = "small-talk"  # greetings, thanks, "who are you": answered with what lotse can do

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 30 files load faster

# Order of the languages tried when a topic has no current text in the asker's language.
FALLBACK_ORDER = ("en", SOURCE_LANGUAGE)


@dataclass
class ContentPack:
    region: Region
    topics: dict[str, Topic]
    groups: dict[str, dict[str, str]]
    # Pseudo-topics that are not answered from the content: OUT_OF_SCOPE, SMALL_TALK;
    # each maps a language to phrasings.
    pseudo: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def text(self, topic: Topic, lang: str) -> tuple[Block, str]:
        """The block to show for ``lang`` and the language it is in (a fallback when they differ)."""
        for candidate in (lang, *FALLBACK_ORDER):
            block = topic.current(candidate)
            if block is not None:
                return block, candidate
        return topic.german, SOURCE_LANGUAGE

    def group_title(self, group: str, lang: str) -> str:
        titles = self.groups.get(group, {})
        return titles.get(lang) or titles.get("en") or group

    def group_ids(self) -> list[str]:
        """Groups in the order of ``groups.yaml``, only those with topics in this pack."""
        present = {topic.group for topic in self.topics.values()}
        return [g for g in self.groups if g in present] + sorted(present - set(self.groups))

    def topics_in(self, group: str) -> list[Topic]:
        return [t for t in self.topics.values() if t.group == group]


def topic_files(region_id: str) -> list[Path]:
    common = sorted((DATA_DIR / "common").glob("*.yaml"))
    own = sorted((DATA_DIR / region_id / "topics").glob("*.yaml"))
    return common + own


def load_pack(region_id: str) -> ContentPack:
    region = load_region(region_id)
    problems: list[str] = []
    topics: dict[str, Topic] = {}
    for path in topic_files(region_id):
        where = path.relative_to(DATA_DIR)
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
            topic = topic_from_raw(raw if isinstance(raw, dict) else {})
        except (yaml.YAMLError, ValueError, ValidationError) as exc:
            problems.append(f"{where}: {_short(exc)}")
            continue
        if topic.id != path.stem:
            problems.append(f"{where}: id {topic.id} does not match the file name")
        topics[topic.id] = topic
    groups = _load_groups(problems)
    pseudo = {name: _load_phrasings(DATA_DIR / f"{name}.yaml") for name in (OUT_OF_SCOPE, SMALL_TALK)}
    return ContentPack(region, topics, groups, pseudo, problems)


def _load_phrasings(path: Path) -> dict[str, list[str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(lang): [str(p) for p in phrasings] for lang, phrasings in raw.items()}


def _load_groups(problems: list[str]) -> dict[str, dict[str, str]]:
    path = DATA_DIR / "groups.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups: dict[str, dict[str, str]] = {}
    for group, titles in raw.items():
        if not isinstance(titles, dict) or not all(isinstance(v, str) for v in titles.values()):
            problems.append(f"groups.yaml: {group}: expected language: title pairs")
            continue
        groups[str(group)] = {lang: titles[lang] for lang in LANGUAGES if lang in titles}
    return groups


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc).splitlines()[0]
