"""The pure assignment of pilot requests to volunteers (numpy/scipy): needs and helpers in,
ranked helpers or pairs out. No database, no handlers."""

from matching.solver import (
    ALL_WEEK,
    INTERPRETING,
    MAX_LEVEL,
    WEEK_SLOTS,
    Helper,
    Need,
    assign,
    assign_exact,
    eligible,
    greedy,
    rank,
    score,
)

__all__ = [
    "ALL_WEEK",
    "INTERPRETING",
    "MAX_LEVEL",
    "WEEK_SLOTS",
    "Helper",
    "Need",
    "assign",
    "assign_exact",
    "eligible",
    "greedy",
    "rank",
    "score",
]
