"""Record identifiers: time-ordered UUIDv7 (RFC 9562, section 5.7).

Time ordering keeps B-tree inserts local and lets a person sort records by creation without a
separate column; randomness in the low 74 bits keeps ids from different replicas apart.
Python gains uuid.uuid7 only in 3.14.
"""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> uuid.UUID:
    """Return a new UUIDv7."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return uuid.UUID(int=value)
