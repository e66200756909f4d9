"""The collector signs checkpoints by itself when given the journal's key (``--log-key``):
periodically when the log grew, at once when the consultation has closed, never when nothing
changed, and a restart neither delays nor repeats them."""

from __future__ import annotations

import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from site_builder.answer_log.note import SignerKey
from site_builder.collector.log_checkpoints import PeriodicCheckpoints, periodic_checkpoints
from site_builder.collector.settings import Collector, Settings
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from tests.collector_support import PAROLE, running_collector
from tests.log_command_support import keygen, store_answers
from tests.storage_support import T0

OPEN = date(2027, 1, 10)
CLOSED = date(2027, 3, 1)
"""Days the example consultation (until 2027-02-28) is open, and has closed."""


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.today = OPEN


def _collector(site: Path, storage: Storage, key: Path, clock: Clock) -> Collector:
    settings = Settings(site_dir=site, log_signer=SignerKey.parse(key.read_text().strip()),
                        log_checkpoint_minutes=60, now=lambda: clock.now,
                        today=lambda: clock.today)
    collector = Collector(settings, storage)
    collector.load_site()
    return collector


def test_checkpoints_when_the_log_grew_every_interval_and_at_the_close(
    tmp_path: Path, example_site: Path,
) -> None:
    key, _public = keygen(tmp_path)
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    storage = open_storage(url)
    clock = Clock()
    collector = _collector(example_site, storage, key, clock)
    checkpoints = periodic_checkpoints(collector)
    assert checkpoints is not None
    assert checkpoints.look() is None  # an empty log: nothing to sign
    store_answers(url, 3)
    first = checkpoints.look()
    assert first is not None and first.size == 3  # the first one at once
    store_answers(url, 2, first=3)
    clock.now += timedelta(minutes=59)
    assert checkpoints.look() is None  # grown, but within the hour
    clock.now += timedelta(minutes=1)
    second = checkpoints.look()
    assert second is not None and second.size == 5
    clock.now += timedelta(minutes=30)
    assert checkpoints.look() is None
    store_answers(url, 1, first=5)
    clock.now += timedelta(minutes=5)
    assert checkpoints.look() is None  # grown, within the hour
    clock.now += timedelta(hours=5)
    assert checkpoints.look() is not None
    store_answers(url, 1, first=6)
    clock.today = CLOSED  # the consultation closes: the final count is signed at once
    final = checkpoints.look()
    assert final is not None and final.size == 7
    clock.now += timedelta(hours=5)
    assert checkpoints.look() is None  # hours later, nothing new
    assert [stored.size for stored in storage.checkpoints()] == [3, 5, 6, 7]
    restarted = PeriodicCheckpoints(collector, SignerKey.parse(key.read_text().strip()), 60)
    assert restarted.look() is None
    storage.close()


def test_no_key_no_checkpoints(tmp_path: Path, example_site: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'answers.db'}")
    collector = Collector(Settings(site_dir=example_site), storage)
    assert periodic_checkpoints(collector) is None
    storage.close()


def test_parole_collect_signs_the_closed_consultation_s_log(tmp_path: Path, example_site: Path,
                                                            storage_url: str) -> None:
    key, _public = keygen(tmp_path)
    store_answers(storage_url, 12)
    with running_collector(example_site, storage_url, tmp_path, day=CLOSED.isoformat(),
                           args=["--log-key", str(key)]) as collector:
        storage = open_storage(storage_url)
        deadline = time.monotonic() + 30
        while not storage.checkpoints() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [stored.size for stored in storage.checkpoints()] == [12], collector.log()
        storage.close()
        assert "Journal des réponses : point de contrôle de 12 réponses signé." in collector.log()


def test_parole_collect_refuses_a_key_others_can_read(tmp_path: Path,
                                                      example_site: Path) -> None:
    key, _public = keygen(tmp_path)
    key.chmod(0o640)
    result = subprocess.run(
        [str(PAROLE), "collect", "--site", str(example_site), "--db",
         f"sqlite:///{tmp_path / 'answers.db'}", "--log-key", str(key)],
        capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "peut être lu par d'autres (droits 0640)" in result.stderr  # the site's language
    assert "Traceback" not in result.stderr
