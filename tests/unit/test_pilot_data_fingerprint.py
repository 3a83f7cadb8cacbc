"""The brief's one data fingerprint is what docs/reports.md says a reader can recompute."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from reports.citation import pilot_data_fingerprint

A, B, C = (hashlib.sha256(word.encode()).hexdigest() for word in ("a", "b", "c"))


def test_it_is_the_sha256_of_the_distinct_fingerprints_sorted_one_a_line() -> None:
    expected = hashlib.sha256("".join(f"{v}\n" for v in sorted((A, B, C))).encode()).hexdigest()
    assert pilot_data_fingerprint([C, A, B]) == expected
    assert pilot_data_fingerprint([B, C, A, C]) == expected  # a dataset analysed twice
    assert pilot_data_fingerprint([A, B]) != expected  # one dataset fewer
    assert pilot_data_fingerprint([A]) != A  # one dataset is still fingerprinted as a list


@pytest.mark.skipif(not (shutil.which("sort") and shutil.which("sha256sum")), reason="no coreutils")
def test_a_reader_recomputes_it_with_sort_and_sha256sum(tmp_path: Path) -> None:
    listed = tmp_path / "fingerprints.txt"
    listed.write_text(f"{C}\n{A}\n{B}\n{A}\n", encoding="ascii")  # as copied from the report
    sorted_ = subprocess.run(
        ["sort", "-u", str(listed)], capture_output=True, check=True, env={"LC_ALL": "C"}
    )
    summed = subprocess.run(["sha256sum"], input=sorted_.stdout, capture_output=True, check=True)
    assert summed.stdout.decode().split()[0] == pilot_data_fingerprint([A, B, C])
