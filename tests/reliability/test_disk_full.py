"""A full disk (issue #5, point 3): the SQLite database on a real, small filesystem (a 2 MB tmpfs)
that fills up while a real collector (``parole collect``) runs.

What it proves:

- while the disk is full, every answer gets the accessible "not saved, please try again" page
  (503, ``Retry-After``), never a receipt: no 303, no receipt code or link in the page, and the
  page passes pa11y;
- the answers acknowledged before are intact: exported while the disk is still full, the
  database passes ``PRAGMA integrity_check``, and a checkpoint that cannot grow the database
  file (ENOSPC hits the checkpoint, not only the WAL append) fails without harm;
- once the space is freed, the next answer gets its 303 and is stored; the collector process
  stayed alive throughout;
- when the WAL already holds allocated pages (after a checkpoint, SQLite rewrites the WAL from
  its start), answers that fit in them are stored and acknowledged although the disk is full,
  and those that do not are refused: every receipt given is kept, nothing refused is stored.

The filesystem needs root to mount: as root directly (CI), else through ``sudo -n``; without
either the suite is skipped, saying why.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.collector_support import (
    PAROLE,
    VALID_ANSWER,
    Reply,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.pa11y_support import describe_failures, run_pa11y_ci
from tests.reliability.figures import Figures, Scale
from tests.support import serve_site

FORM_ID = "avis-place"
DISK_SIZE = "2m"
"""Small enough to fill in a moment, big enough for the database and its WAL."""
MARKER_FIELD = "quartier"
"""The free-text question each answer marks with its own words, to find it in the export."""
NOT_SAVED = "Votre réponse n\u2019a pas été enregistrée"
TRY_AGAIN = "envoyez de nouveau votre réponse"
RETRY_AFTER = "60"
RECEIPT_SHAPE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}\b")
"""A receipt code as a page would show it (``ABCD-EFGH``) or link it (``/collect/ABCDEFGH``)."""
CHUNK = b"\0" * 65536


# --- the small filesystem -----------------------------------------------------------------------

def _as_root() -> list[str]:
    """The prefix that runs a command as root: nothing as root, ``sudo -n`` when it works
    without a password; skips the test otherwise."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True,
                                               check=False).returncode == 0:
        return ["sudo", "-n"]
    pytest.skip("mounting the small tmpfs needs root or password-less sudo (CI runs as root)")


@contextmanager
def small_filesystem(mount_point: Path, size: str = DISK_SIZE) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``mount_point`` (owned by this user), unmounted at the
    end whatever happens."""
    as_root = _as_root()
    mount_point.mkdir()
    options = f"size={size},mode=0700,uid={os.getuid()},gid={os.getgid()}"
    mounted = subprocess.run([*as_root, "mount", "-t", "tmpfs", "-o", options, "parole-disk-full",
                              str(mount_point)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.fail(f"could not mount a {size} tmpfs at {mount_point}: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        # Lazily if something still holds a file there: the test's own failure matters more.
        if subprocess.run([*as_root, "umount", str(mount_point)], check=False).returncode != 0:
            subprocess.run([*as_root, "umount", "-l", str(mount_point)], check=True)


def fill_up(folder: Path) -> Path:
    """Write a file in ``folder`` until its filesystem says ENOSPC; returns the file. Written
    with ``os.write`` (unbuffered), so the last, partial chunk lands too."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        while True:
            os.write(descriptor, CHUNK)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
    finally:
        os.close(descriptor)
    free = os.statvfs(folder).f_bavail
    assert free == 0, f"the filler stopped on ENOSPC yet {free} blocks are still free"
    return filler


# --- answers and what the database holds --------------------------------------------------------

def answer(site_dir: Path, marker: str) -> list[tuple[str, str]]:
    """The example's valid answer, its free-text marker field saying ``marker``."""
    kept = [pair for pair in VALID_ANSWER if pair[0] != MARKER_FIELD]
    return [*hidden_fields(site_dir), *kept, (MARKER_FIELD, marker)]


def receipt_of(reply: Reply) -> str:
    """The receipt code a 303 sends the person to (as stored: no hyphen)."""
    return reply.headers["location"].rsplit("/", 2)[1]


@dataclass(frozen=True)
class Stored:
    """What ``parole export`` finds: each answer's receipt (no hyphen) and marker."""

    markers: dict[str, str]

    @property
    def receipts(self) -> set[str]:
        return set(self.markers)


def exported(database_url: str) -> Stored:
    """The form's answers, read by ``parole export --format json`` (a separate process, as an
    organizer would run it, here while the disk may still be full)."""
    done = subprocess.run([str(PAROLE), "export", FORM_ID, "--db", database_url,
                           "--format", "json"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, f"parole export failed ({done.returncode}): {done.stderr}"
    answers = json.loads(done.stdout)["answers"]
    receipts = [item["receipt"].replace("-", "") for item in answers]
    assert len(receipts) == len(set(receipts)), f"a receipt exported twice: {receipts}"
    return Stored({item["receipt"].replace("-", ""): item["values"][MARKER_FIELD][0]
                   for item in answers})


def integrity(database: Path) -> str:
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(row[0]) for row in rows)


def checkpoint(database: Path, mode: str) -> str | None:
    """Run ``PRAGMA wal_checkpoint(mode)`` from another connection; SQLite's error, if any."""
    try:
        with closing(sqlite3.connect(database)) as connection:
            connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
    except sqlite3.OperationalError as error:
        return f"{error.sqlite_errorname}: {error}"
    return None


def assert_alive(collector: RunningCollector, when: str) -> None:
    process = collector.process
    assert process is not None and process.poll() is None, (
        f"the collector exited ({process.returncode if process else '?'}) {when}:\n"
        f"{collector.log()}")


def assert_not_saved_page(reply: Reply) -> None:
    """The 503 page: says the answer was NOT saved and to try again, offers no receipt."""
    assert reply.status == 503, f"expected 503 while the disk is full, got {reply.status}"
    assert "location" not in reply.headers, f"a 503 that redirects: {reply.headers['location']}"
    assert reply.headers.get("retry-after") == RETRY_AFTER, reply.headers
    assert reply.headers["content-type"].startswith("text/html"), reply.headers["content-type"]
    page = reply.text
    assert NOT_SAVED in page, f"the page does not say {NOT_SAVED!r}:\n{page}"
    assert TRY_AGAIN in page, f"the page does not say to try again ({TRY_AGAIN!r}):\n{page}"
    assert f"<h1>{NOT_SAVED}</h1>" in page, "the 'not saved' sentence is not the page's heading"
    assert 'lang="fr"' in page
    codes = RECEIPT_SHAPE.findall(page)
    assert not codes and 'class="p-receipt"' not in page, f"the 503 page shows a receipt: {codes}"


# --- the main scenario: the WAL cannot grow -----------------------------------------------------

@dataclass
class FullDiskRun:
    """What one collector did before, during and after its disk was full."""

    acknowledged_before: list[str] = field(default_factory=list)
    replies_while_full: list[Reply] = field(default_factory=list)
    markers_while_full: list[str] = field(default_factory=list)
    checkpoint_error: str | None = None
    stored_while_full: Stored = field(default_factory=lambda: Stored({}))
    integrity_while_full: str = ""
    recovered: Reply | None = None
    stored_after: Stored = field(default_factory=lambda: Stored({}))
    integrity_after: str = ""


def post_all(collector: RunningCollector, site_dir: Path, markers: Sequence[str],
             when: str) -> list[Reply]:
    replies = []
    for marker in markers:
        replies.append(collector.post(answer(site_dir, marker)))
        assert_alive(collector, f"after an answer {when}")
    return replies


@pytest.fixture(scope="module")
def full_disk_run(example_site: Path, tmp_path_factory: pytest.TempPathFactory, scale: Scale,
                  figures: Figures) -> FullDiskRun:
    """Answers before the disk fills, while it is full (with a checkpoint attempted meanwhile),
    and once space is freed; the checks are the tests'."""
    folder = tmp_path_factory.mktemp("disk-full")
    run = FullDiskRun()
    before = [f"avant {number}" for number in range(scale.pick(3, 20))]
    run.markers_while_full = [f"disque plein {number}" for number in range(scale.pick(5, 50))]
    with small_filesystem(folder / "disk") as disk:
        database = disk / "answers.db"
        url = f"sqlite:///{database}"
        with running_collector(example_site, url, folder, args=["--rate-limit", "0"]) as up:
            replies = post_all(up, example_site, before, "before the disk filled")
            assert [reply.status for reply in replies] == [303] * len(before), \
                [reply.text for reply in replies if reply.status != 303]
            run.acknowledged_before = [receipt_of(reply) for reply in replies]
            filler = fill_up(disk)
            half = len(run.markers_while_full) // 2
            run.replies_while_full = post_all(up, example_site, run.markers_while_full[:half],
                                              "while the disk is full")
            # The database file itself must grow to take the WAL's pages: ENOSPC at checkpoint.
            run.checkpoint_error = checkpoint(database, "TRUNCATE")
            run.replies_while_full += post_all(up, example_site, run.markers_while_full[half:],
                                               "while the disk is full")
            run.stored_while_full = exported(url)
            run.integrity_while_full = integrity(database)
            filler.unlink()
            run.recovered = up.post(answer(example_site, "après"))
            assert_alive(up, "after space was freed")
        run.stored_after = exported(url)
        run.integrity_after = integrity(database)
    refused = sum(reply.status == 503 for reply in run.replies_while_full)
    receipts = sum(reply.status == 303 for reply in run.replies_while_full)
    figures.add("disk-full", {
        "scenario": "the WAL must grow",
        "answers before the disk filled": len(run.acknowledged_before),
        "answers sent while full": len(run.replies_while_full),
        "refused while full (503)": refused,
        "receipts given while full": receipts,
        "every receipt's answer stored": run.stored_after.receipts >= {
            receipt_of(reply) for reply in run.replies_while_full if reply.status == 303},
        "earlier answers intact": run.stored_while_full.receipts >= set(run.acknowledged_before),
        "integrity check": run.integrity_while_full,
        "recovered after space freed": run.recovered is not None and run.recovered.status == 303,
    })
    return run


def test_while_full_every_answer_gets_the_not_saved_page(full_disk_run: FullDiskRun) -> None:
    replies = full_disk_run.replies_while_full
    assert replies, "no answer was sent while the disk was full"
    statuses = [reply.status for reply in replies]
    assert statuses == [503] * len(replies), f"expected only 503 while full, got {statuses}"
    for reply in replies:
        assert_not_saved_page(reply)


def test_nothing_acknowledged_is_lost_and_nothing_refused_is_stored(
    full_disk_run: FullDiskRun,
) -> None:
    run = full_disk_run
    assert run.integrity_while_full == "ok", run.integrity_while_full
    assert run.integrity_after == "ok", run.integrity_after
    assert run.stored_while_full.receipts == set(run.acknowledged_before), (
        f"exported while full: {sorted(run.stored_while_full.receipts)}, "
        f"acknowledged before: {sorted(run.acknowledged_before)}")
    refused_stored = set(run.markers_while_full) & set(run.stored_after.markers.values())
    assert not refused_stored, f"answers refused with a 503 were stored: {refused_stored}"


def test_a_checkpoint_on_the_full_disk_fails_without_harm(full_disk_run: FullDiskRun) -> None:
    # The database file has to grow to take the WAL's pages, so the checkpoint cannot succeed;
    # that it fails (rather than half-writes) is what keeps the earlier answers, checked above.
    error = full_disk_run.checkpoint_error
    assert error is not None and "SQLITE_FULL" in error, (
        f"expected the checkpoint to fail with SQLITE_FULL on the full disk, got {error!r}")


def test_it_recovers_once_space_is_freed(full_disk_run: FullDiskRun) -> None:
    run = full_disk_run
    assert run.recovered is not None and run.recovered.status == 303, (
        f"after freeing space: {run.recovered.status if run.recovered else None}")
    new = receipt_of(run.recovered)
    assert run.stored_after.markers.get(new) == "après", run.stored_after.markers
    assert run.stored_after.receipts == {*run.acknowledged_before, new}


@pytest.mark.pa11y
def test_the_not_saved_page_passes_pa11y(full_disk_run: FullDiskRun, example_site: Path,
                                         tmp_path: Path) -> None:
    """The real 503 page (not one made by a fake storage), served inside a copy of the site so
    that its stylesheet and links resolve, as tests/test_collector_pa11y.py does."""
    page = next(reply for reply in full_disk_run.replies_while_full if reply.status == 503)
    site_copy = tmp_path / "site"
    shutil.copytree(example_site, site_copy)
    (site_copy / "disk-full.html").write_text(page.text, encoding="utf-8")
    with serve_site(site_copy) as base_url:
        url = f"{base_url}disk-full.html"
        reports = run_pa11y_ci([url], tmp_path)
    assert not reports[url].failed, describe_failures(list(reports.values()),
                                                      lambda _: "the 503 page of a full disk")


# --- the WAL's pages already allocated ----------------------------------------------------------

def test_answers_that_fit_in_the_wal_are_kept_the_others_refused(
    example_site: Path, tmp_path: Path, scale: Scale, figures: Figures
) -> None:
    """After a checkpoint, SQLite writes the WAL again from its start, over pages the file
    already has: a full disk does not stop those writes. Such answers are committed, so their
    303 is right; once the WAL must grow, answers are refused. Nothing in between."""
    before = [f"avant {number}" for number in range(scale.pick(5, 20))]
    while_full = [f"plein {number}" for number in range(scale.pick(30, 80))]
    with small_filesystem(tmp_path / "disk") as disk:
        database = disk / "answers.db"
        url = f"sqlite:///{database}"
        with running_collector(example_site, url, tmp_path, args=["--rate-limit", "0"]) as up:
            acknowledged = post_all(up, example_site, before, "before the disk filled")
            assert all(reply.status == 303 for reply in acknowledged)
            # PASSIVE: copies the WAL into the database file and leaves the WAL file's size.
            assert checkpoint(database, "PASSIVE") is None
            filler = fill_up(disk)
            replies = post_all(up, example_site, while_full, "while the disk is full")
            stored_while_full = exported(url)
            integrity_while_full = integrity(database)
            filler.unlink()
            recovered = up.post(answer(example_site, "après"))
        stored = exported(url)
    statuses = [reply.status for reply in replies]
    assert set(statuses) <= {303, 503}, f"statuses other than 303 and 503: {statuses}"
    assert 503 in statuses, f"the WAL never ran out of space in {len(statuses)} answers"
    for reply in replies:
        if reply.status == 503:
            assert_not_saved_page(reply)
    kept = {receipt_of(reply) for reply in [*acknowledged, *replies] if reply.status == 303}
    assert stored_while_full.receipts == kept, (
        f"acknowledged {sorted(kept)}, exported while full {sorted(stored_while_full.receipts)}")
    refused = {marker for marker, reply in zip(while_full, replies, strict=True)
               if reply.status == 503}
    assert not refused & set(stored.markers.values()), "a refused answer was stored"
    assert integrity_while_full == "ok", integrity_while_full
    assert recovered.status == 303 and receipt_of(recovered) in stored.receipts
    figures.add("disk-full", {
        "scenario": "WAL pages already allocated (after a checkpoint)",
        "answers before the disk filled": len(before),
        "answers sent while full": len(replies),
        "refused while full (503)": statuses.count(503),
        "receipts given while full": statuses.count(303),
        "every receipt's answer stored": True,
        "earlier answers intact": True,
        "integrity check": integrity_while_full,
        "recovered after space freed": True,
    })
