"""The content base: shipped packs are complete and current; the checker catches what it must."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import content.pack
import content.region
import content.translations
from bot.cli import app as cli
from content.check import CATALOGUE, check_all, check_topic
from content.languages import LANGUAGES
from content.pack import load_pack
from content.schema import source_hash, topic_from_raw

DATA = Path(content.region.DATA_DIR)


def test_shipped_content_passes_the_check() -> None:
    problems, summary = check_all()
    assert problems == []
    assert any(line.startswith("soest: ") for line in summary)
    assert any(line.startswith("paderborn: ") for line in summary)


def test_soest_answers_every_catalogue_topic_in_every_language() -> None:
    pack = load_pack("soest")
    assert set(CATALOGUE) <= set(pack.topics)
    for topic_id in CATALOGUE:
        topic = pack.topics[topic_id]
        for lang in LANGUAGES:
            block, shown_in = pack.text(topic, lang)
            assert shown_in == lang, f"{topic_id} falls back from {lang}"
            assert block.answer and block.title
        assert topic.source.section and topic.as_of


def test_content_check_command_exits_0_on_shipped_content() -> None:
    result = CliRunner().invoke(cli, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "content ok" in result.output


def _raw(topic_id: str = "kita.registration") -> dict:
    return yaml.safe_load((DATA / "soest" / "topics" / f"{topic_id}.yaml").read_text(encoding="utf-8"))


def test_a_changed_german_text_marks_translations_outdated_and_they_fall_back() -> None:
    raw = _raw()
    raw["de"]["answer"] += "\nNeu: ein weiterer Satz."
    topic = topic_from_raw(raw)
    problems = check_topic(topic, load_pack("soest"))
    outdated = [p for p in problems if "outdated" in p]
    assert len(outdated) == len(LANGUAGES) - 1  # every translation, not the German source
    assert topic.current("ar") is None and topic.current("de") is not None


def test_a_translation_with_a_different_phone_number_is_reported() -> None:
    raw = _raw("contact.integration-office")
    raw["ar"]["answer"] = raw["ar"]["answer"].replace("2218", "2219")
    problems = check_topic(topic_from_raw(raw), load_pack("soest"))
    assert any("[ar] phone numbers" in p for p in problems)
    assert not any("[uk] phone numbers" in p for p in problems)


def test_english_text_in_the_arabic_block_is_reported() -> None:
    raw = _raw()
    raw["ar"]["answer"] = raw["en"]["answer"]
    problems = check_topic(topic_from_raw(raw), load_pack("soest"))
    assert any("[ar] answer is not written in arabic script" in p for p in problems)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    for module in (content.region, content.pack, content.translations):
        monkeypatch.setattr(module, "DATA_DIR", copy)
    return copy


def test_broken_files_and_gaps_make_the_check_fail_with_a_readable_list(data_copy: Path) -> None:
    (data_copy / "soest" / "topics" / "housing.wbs.yaml").write_text("id: housing.wbs\nde: [unclosed", encoding="utf-8")
    raw = yaml.safe_load((data_copy / "soest" / "topics" / "kita.costs.yaml").read_text(encoding="utf-8"))
    del raw["ti"]
    (data_copy / "soest" / "topics" / "kita.costs.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    result = CliRunner().invoke(cli, ["content", "check"])
    assert result.exit_code == 1
    assert "soest: soest/topics/housing.wbs.yaml:" in result.output
    assert "soest: catalogue topic missing: housing.wbs" in result.output
    assert "soest: kita.costs: [ti] translation missing" in result.output
    # The pack still loads what is valid, and the missing Tigrinya text falls back to English.
    pack = load_pack("soest")
    _, shown_in = pack.text(pack.topics["kita.costs"], "ti")
    assert shown_in == "en" and "housing.wbs" not in pack.topics


def test_import_stamps_the_source_hash(data_copy: Path) -> None:
    path = data_copy / "soest" / "topics" / "kita.costs.yaml"
    german = topic_from_raw(yaml.safe_load(path.read_text(encoding="utf-8"))).german
    delivery = {
        "topics": {
            "soest/kita.costs": {
                "title": "Kosten der Kita (Test)",
                "answer": "Ein Testtext, lang genug für das Schema.",
                "questions": ["a", "b", "c"],
                "keywords": ["x"],
            }
        },
        "groups": {"kita": "Kita-Test"},
    }
    assert content.translations.import_translations("en", delivery) == ["soest/kita.costs", "groups (1)"]
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert written["en"]["source_hash"] == source_hash(german)
    assert written["en"]["title"] == "Kosten der Kita (Test)"
    assert yaml.safe_load((data_copy / "groups.yaml").read_text(encoding="utf-8"))["kita"]["en"] == "Kita-Test"
    with pytest.raises(ValueError, match="not a target language"):
        content.translations.import_translations("de", delivery)
