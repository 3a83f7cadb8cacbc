"""The references of the ten demo pilots, for the tests that read every demo report."""

from __future__ import annotations

DEMO_REFERENCES = (
    "DHSC-TL-001",
    "MHCLG-TL-002",
    "HO-TL-003",
    "DFE-TL-004",
    "DESNZ-TL-005",
    "DWP-TL-006",
    "MOJ-TL-007",
    "MHCLG-TL-008",
    "DFT-TL-009",
    "DESNZ-TL-010",
)
