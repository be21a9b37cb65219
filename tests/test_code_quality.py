"""ruff and the import contracts (handlers never import Telegram libraries) are part of the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [BIN / "ruff", "check", "--output-format", "concise", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [BIN / "lint-imports"], cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_imports() -> None:
    """A moved module leaves no import behind (ruff does not resolve imports)."""
    import importlib
    import pkgutil

    for name in ("bot", "handlers", "models", "content", "matching"):
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            if ".migrations" not in module.name:  # Alembic runs those with its own context
                importlib.import_module(module.name)
