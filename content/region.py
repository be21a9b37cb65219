"""A region pack's own facts: the town and whom to ask when lotse has no answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).resolve().parent / "data"


class Office(BaseModel):
    name: str = Field(description="official German name, shown as is and explained in the UI text")
    address: str
    phone: str | None = None
    email: str | None = None

    def lines(self) -> list[str]:
        return [self.name, self.address] + [v for v in (self.phone, self.email) if v]


class Region(BaseModel):
    id: str
    town: str
    office: Office
    source: str = Field(description="seed document and section the facts come from")
    as_of: date


def available_regions() -> list[str]:
    return sorted(p.name for p in DATA_DIR.iterdir() if (p / "region.yaml").exists())


def load_region(region_id: str) -> Region:
    path = DATA_DIR / region_id / "region.yaml"
    if not path.exists():
        raise LookupError(region_id)
    return Region(id=region_id, **yaml.safe_load(path.read_text(encoding="utf-8")))
