"""The answer log's benchmark (``python -m bench answer-log``), never timed here: a tiny real
run fills a row from real child processes (the leaves written straight into the database make a
log the commands sign, publish and verify, and prove against), and its page says each
figure where its heading says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import __main__ as runner
from bench import answer_log
from bench.export import Context
from site_builder.storage import open_storage
from site_builder.storage.receipts import normalise_receipt


def test_the_runner_knows_it() -> None:
    assert runner.BENCHMARKS["answer-log"] is answer_log.run
    assert runner.output_path("answer-log") == runner.RESULTS / "answer-log.md"


def test_leaves_written_straight_in_are_a_log_the_storage_reads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    open_storage(url).close()
    answer_log.fill(tmp_path / "answers.db", 0, 300)
    answer_log.fill(tmp_path / "answers.db", 300, 310)
    storage = open_storage(url)
    try:
        assert storage.log_size() == 310
        leaves = storage.answer_leaves(answer_log.receipt(301))
        assert [leaf.index for leaf in leaves] == [301]
    finally:
        storage.close()
    codes = {answer_log.receipt(index) for index in range(0, 2_000_000, 997)}
    assert len(codes) == len(range(0, 2_000_000, 997))  # one code per leaf
    assert all(normalise_receipt(code) == code for code in codes)


def _cells(page: str, first: str) -> list[str]:
    line = next(line for line in page.splitlines() if line.startswith(f"| {first} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_a_tiny_real_run_fills_every_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answer_log, "QUICK_SIZES", (300,))
    monkeypatch.setattr(answer_log, "PROOFS", 3)
    page = answer_log.run(1, quick=True)
    assert "the median of 1 run;" in page
    commands, memory = [line for line in page.splitlines() if line.startswith("| 300 |")][:2]
    assert len(re.findall(r"\d+\.\d\d s \(CPU \d+\.\d\d s\)", commands)) == 4
    assert all(int(cell) > 10 for cell in _cells(memory, "300")[1:])
    first, later, whole = (float(cell) for cell in _cells(page.split("proof page")[1], "300")[1:])
    assert first > 0 and later > 0 and whole > 0
    files, size, disk = _cells(page.split("The journal")[1], "300")[1:]
    # checkpoint, 2 checkpoints/ + index, key, verifier, 2 tiles (0 and 1.p), 2 bundles
    assert int(files) >= 9 and float(size) > 0 and float(disk) >= float(size)


def test_the_page_from_numbers() -> None:
    measure = answer_log.Measure(1.5, 1.25, 120.4)
    row = answer_log.Row(1_000_000, dict.fromkeys(answer_log.COMMANDS, measure),
                         proof_first=1.2345, proof_next=0.00081, proof_whole_tree=1.5,
                         files=7_853, journal_bytes=65_400_000, disk_bytes=97_000_000)
    page = answer_log.page([row], "2027-01-20", 3, Context(12, 1.5, 2.5))
    assert _cells(page, "1,000,000")[1:] == ["1.50 s (CPU 1.25 s)"] * 4
    assert _cells(page.split("Peak memory")[1], "1,000,000")[1:] == ["120"] * 4
    assert _cells(page.split("proof page")[1], "1,000,000")[1:] == ["1234.5", "0.81", "1500.0"]
    assert _cells(page.split("The journal")[1], "1,000,000")[1:] == ["7,853", "65.40", "97.00"]
    assert "the median of 3 runs;" in page and "load average was 1.5" in page
    assert "machine is shared" in page
