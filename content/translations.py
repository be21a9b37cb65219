"""Bringing a translator's delivery into the topic files, stamped with the source hash.

A translator delivers one YAML file per language (``lotse content import LANG FILE``):

    groups: {kita: "...", ...}
    topics:
      soest/kita.registration: {title: ..., answer: ..., questions: [...], keywords: [...]}
      common/emergency: {...}

Each block is written into its topic file with the hash of the German text it was made
from, so a later change of the German marks the translation outdated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from content.languages import LANGUAGES
from content.region import DATA_DIR
from content.schema import META_KEYS, SOURCE_LANGUAGE, Block, source_hash


def topic_path(key: str) -> Path:
    """``soest/kita.registration`` → the topic file; ``common/emergency`` → the common one."""
    region, _, topic_id = key.partition("/")
    if region == "common":
        return DATA_DIR / "common" / f"{topic_id}.yaml"
    return DATA_DIR / region / "topics" / f"{topic_id}.yaml"


def import_translations(lang: str, delivery: dict[str, Any]) -> list[str]:
    """Write the delivery into the topic files; returns what was written, one line each."""
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        raise ValueError(f"not a target language: {lang}")
    done: list[str] = []
    for key, raw_block in (delivery.get("topics") or {}).items():
        path = topic_path(key)
        if not path.exists():
            raise ValueError(f"{key}: no such topic file ({path})")
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        block = Block.model_validate(raw_block)
        german = Block.model_validate(raw[SOURCE_LANGUAGE])
        raw[lang] = {**_block_dict(block), "source_hash": source_hash(german)}
        write_topic(path, raw)
        done.append(key)
    groups = delivery.get("groups") or {}
    if groups:
        path = DATA_DIR / "groups.yaml"
        current = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group, title in groups.items():
            current.setdefault(group, {})[lang] = str(title)
        header = "# Topic groups for /topics: the first part of a topic ID, with its title in every language.\n"
        path.write_text(header + _dump(current), encoding="utf-8")
        done.append(f"groups ({len(groups)})")
    return done


def stamp(path: Path, lang: str) -> None:
    """Mark the ``lang`` block of a topic file as made from the present German text."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw[lang]["source_hash"] = source_hash(Block.model_validate(raw[SOURCE_LANGUAGE]))
    write_topic(path, raw)


def write_topic(path: Path, raw: dict[str, Any]) -> None:
    """Metadata first, then German, then the other languages in the catalogue's order."""
    ordered = {k: raw[k] for k in META_KEYS if k in raw}
    ordered.update({lang: raw[lang] for lang in LANGUAGES if lang in raw})
    path.write_text(_dump(ordered), encoding="utf-8")


def _block_dict(block: Block) -> dict[str, Any]:
    data = block.model_dump(exclude_none=True)
    data["answer"] = block.answer.strip() + "\n"
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
