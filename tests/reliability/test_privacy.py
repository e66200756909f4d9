"""Privacy (issue #5, point 7): what parole promises citizens in docs/collector.md, checked on
the real collector, a real nginx and both databases.

- **Nothing leaves 127.0.0.1.** The network watch (:mod:`tests.reliability.netwatch`, installed
  by conftest.py for every reliability test) fails any test during which a process of the suites
  connected elsewhere. Here it is shown to work: a Python child, the test process and a program
  that is not Python each try to reach a documentation address, and the watch must see each.
- **No client address is stored or logged.** Answers (and refused posts) come from distinct
  loopback addresses, straight to the collector and through nginx (which passes the address in
  X-Forwarded-For); then every byte of the database (the SQLite file with its WAL, or a text
  dump of every PostgreSQL table) and every log (collector, nginx, PostgreSQL server) is searched
  for each address, and the logs for each receipt code.
- **``parole purge``** deletes the answers past their retention period, and only those.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.collector_support import (
    PAROLE,
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.postgres_support import PostgresServer
from tests.reliability.figures import Figures
from tests.reliability.netwatch import Connection, NetWatch, is_local, verdict
from tests.reliability.nginx_support import running_nginx, send
from tests.storage_support import raw_sql
from tests.support import build_site, write_site

OUTSIDE_ADDRESS = "203.0.113.1"
"""TEST-NET-3 (RFC 5737), for documentation: routed like the internet, never a real server.
(TEST-NET-1's 192.0.2.1 is this sandbox's gateway, so not that one.)"""
OUTSIDE_PORT = 9
DIRECT_CLIENTS = ("127.61.149.23", "127.142.7.88")
PROXIED_CLIENTS = ("127.203.44.171", "127.97.251.6")
"""Loopback addresses (all of 127.0.0.0/8 reaches this machine on Linux) whose dotted text and
packed bytes are unlikely to occur by chance in a database file."""
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}


# -- the network watch ---------------------------------------------------------------------------

def test_the_watch_sees_every_kind_of_process_try_to_leave(netwatch: NetWatch) -> None:
    python_child = subprocess.run(
        [sys.executable, "-c", _attempt_code()], capture_output=True, text=True, check=False)
    assert python_child.returncode == 0, python_child.stderr
    _attempt_connection()
    # bash is no Python: only the sampler can see it. It keeps the socket a second, connected or
    # still trying, so that the sampler (every 50 ms) cannot miss it.
    other = subprocess.run(
        ["timeout", "2", "bash", "-c",
         f"exec 3<>/dev/tcp/{OUTSIDE_ADDRESS}/{OUTSIDE_PORT}; sleep 1"],
        capture_output=True, text=True, check=False)

    seen = netwatch.take_outside(on_purpose=True)
    watchers = {line.split("\t")[1] for line in seen if OUTSIDE_ADDRESS in line}
    assert watchers >= {"child", "tests", "sampler"}, (
        f"the watch saw {sorted(watchers)} try to reach {OUTSIDE_ADDRESS}, expected the Python "
        f"child, the test process and the sampler (bash exited {other.returncode}: "
        f"{other.stderr.strip()}); it logged:\n" + "\n".join(seen))


def test_what_counts_as_leaving_the_machine() -> None:
    local = ["127.0.0.1", "127.61.149.23", "::1", "::ffff:127.0.0.1", "0.0.0.0", "::",
             "localhost", "LOCALHOST.", None, "[::1]", b"127.0.0.1"]
    outside = ["203.0.113.1", "::ffff:203.0.113.1", "2001:db8::1", "example.org",
               "localhost.example.org", "10.0.0.1", b"example.org"]
    assert [host for host in local if not is_local(host)] == []
    assert [host for host in outside if is_local(host)] == []
    # Chromium's route probe (a UDP connect, which sends nothing) is not a connection out;
    # anything else to that address is.
    assert not Connection("udp", "2001:4860:4860::8888", 443, 1).leaves
    assert Connection("tcp", "2001:4860:4860::8888", 443, 1).leaves
    assert Connection("udp", "2001:4860:4860::8888", 53, 1).leaves
    assert not Connection("tcp", "127.0.0.1", 443, 1).leaves
    # A lookup is reported when it may ask a DNS server: a name, not an address.
    lookups = {host: verdict("socket.getaddrinfo", (host, 80, 0, 0, 0)) is not None
               for host in ("example.org", "localhost", "203.0.113.1", "::1")}
    assert lookups == {"example.org": True, "localhost": False, "203.0.113.1": False,
                       "::1": False}


def _attempt_code() -> str:
    return ("import socket\n"
            "try:\n"
            f"    socket.create_connection(({OUTSIDE_ADDRESS!r}, {OUTSIDE_PORT}),"
            " timeout=0.5).close()\n"
            "except OSError:\n"
            "    pass\n")


def _attempt_connection() -> None:
    try:
        with closing(socket.create_connection((OUTSIDE_ADDRESS, OUTSIDE_PORT), timeout=0.5)):
            pass
    except OSError:
        pass  # refused, unreachable or timed out: the attempt is what the watch must see


# -- client addresses ----------------------------------------------------------------------------

def test_client_addresses_are_neither_stored_nor_logged(
    storage_url: str, example_site: Path, tmp_path: Path, request: pytest.FixtureRequest,
    figures: Figures,
) -> None:
    receipts: list[str] = []
    with (running_collector(example_site, storage_url, tmp_path) as collector,
          running_nginx(example_site, collector.port, tmp_path / "nginx") as nginx):
        for number, client in enumerate(DIRECT_CLIENTS + PROXIED_CLIENTS):
            port = collector.port if client in DIRECT_CLIENTS else nginx.port
            receipts.append(_answer_and_read_receipt(port, client, example_site, number))
            _send_a_refused_answer(port, client)
        places = _database_contents(storage_url, "while running")
        places |= {f"nginx {path.name}": data for path, data in nginx.logs().items()}
    # Stopped: uvicorn's last words are in the log, and SQLite has checkpointed its WAL.
    places |= _database_contents(storage_url, "once stopped")
    places |= {"collector log": collector.log_path.read_bytes()}
    if not storage_url.startswith("sqlite"):
        server: PostgresServer = request.getfixturevalue("postgres")
        places["PostgreSQL server log"] = server.log.read_bytes()

    clients = DIRECT_CLIENTS + PROXIED_CLIENTS
    found = _occurrences(places, {client: _forms_of(client) for client in clients})
    # The logs, not the database (which holds the codes by design: answers, the answer log's
    # leaves), whose table names may contain "log" too.
    logs = {name: data for name, data in places.items()
            if "log" in name and not name.startswith(("SQLite ", "PostgreSQL table "))}
    found += _occurrences(logs, {code: [code.encode(), f"{code[:4]}-{code[4:]}".encode()]
                                 for code in receipts})
    assert found == [], f"found in the database or the logs (expected nowhere): {found}"
    figures.add("privacy", {"check": "client addresses and receipt codes stored or logged",
                            "backend": _backend(storage_url),
                            "client addresses searched": len(clients),
                            "receipt codes searched": len(receipts),
                            "places searched": len(places), "found": len(found)})


def _answer_and_read_receipt(port: int, client: str, site: Path, number: int) -> str:
    """Post a complete answer from ``client`` and open its receipt; the receipt code."""
    answer = [*hidden_fields(site), *VALID_ANSWER, ("quartier", f"Quartier {number}")]
    answer = [pair for pair in answer if pair != ("quartier", "Les Tilleuls")]
    reply = send(port, "POST", "/collect", urlencode(answer).encode(), FORM_BODY, source=client)
    assert reply.status == 303, f"answer from {client}: {reply.status}, expected 303"
    location = reply.headers["location"]
    receipt = send(port, "GET", location, source=client)
    assert receipt.status == 200, f"receipt {location}: {receipt.status}, expected 200"
    return location.rsplit("/", 2)[1]


def _send_a_refused_answer(port: int, client: str) -> None:
    """A post the collector refuses (and logs a warning about): it must not log who sent it."""
    reply = send(port, "POST", "/collect", b"_form=nothing&_version=0", FORM_BODY, source=client)
    assert reply.status == 400, f"an unknown form from {client}: {reply.status}, expected 400"


def _forms_of(address: str) -> list[bytes]:
    """How an address could be written down: its text, and its 4 bytes (in a binary file)."""
    return [address.encode(), socket.inet_aton(address)]


def _occurrences(places: Mapping[str, bytes],
                 needles: Mapping[str, list[bytes]]) -> list[tuple[str, str]]:
    return [(needle, place) for needle, forms in needles.items()
            for place, data in places.items() if any(form in data for form in forms)]


def _database_contents(url: str, when: str) -> dict[str, bytes]:
    """Every byte SQLite keeps (file, WAL, shared memory), or every PostgreSQL table as text,
    named with ``when`` they were read."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return {f"SQLite {file.name} ({when})": file.read_bytes()
                for file in path.parent.glob(f"{path.name}*")}
    tables = [name for (name,) in raw_sql(url, "SELECT table_name FROM information_schema.tables"
                                                " WHERE table_schema = 'public'")]
    assert "answers" in tables, f"no answers table among {tables}"
    return {f"PostgreSQL table {table} ({when})": "\n".join(
                str(row) for (row,) in raw_sql(url, f'SELECT t::text FROM "{table}" t')).encode()
            for table in tables}


def _backend(url: str) -> str:
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


# -- parole purge --------------------------------------------------------------------------------

PURGE_DAY = "2020-06-01"
"""The collector's day: both forms take answers. The old form closed on 2020-06-30, so with 30
days of retention its answers were due for deletion on 2020-07-30, long past; the other form
has no closing day, so its answers are kept 30 days from their arrival (today)."""
PURGE_PAGE = """# Deux questionnaires

```form
id: ancien
title: Un questionnaire fermé depuis longtemps
closes: 2020-06-30
fields:
  - id: avis
    type: text
    label: Votre avis
    required: true
```

```form
id: courant
title: Un questionnaire sans date de fin
fields:
  - id: avis
    type: text
    label: Votre avis
    required: true
```
"""


@pytest.fixture(scope="module")
def purge_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("purge")
    config = write_site(folder, {"index.md": PURGE_PAGE}, plugins=[{"parole": {
        "retention_days": 30,
        "organizer": {"name": "Mairie de test", "email": "mairie@test.example"}}}])
    return build_site(config, folder / "site")


def test_purge_deletes_the_answers_past_retention_and_only_those(
    storage_url: str, purge_site: Path, tmp_path: Path, figures: Figures,
) -> None:
    with running_collector(purge_site, storage_url, tmp_path, day=PURGE_DAY) as collector:
        old = [_answer(collector, purge_site, "ancien", f"ancien {n}") for n in range(3)]
        kept = [_answer(collector, purge_site, "courant", f"courant {n}") for n in range(2)]
        # While the collector runs, as the daily timer would.
        purged = _parole("purge", "--db", storage_url)
        gone = [collector.request("GET", link).status for link in old]
        still = [collector.request("GET", link).status for link in kept]

    assert "Deleted 3 answers" in purged, f"parole purge said {purged!r}, expected 3 deleted"
    assert gone == [404] * 3, f"receipts of purged answers answer {gone}, expected 404"
    assert still == [200] * 2, f"receipts of kept answers answer {still}, expected 200"
    assert _exported_receipts(storage_url, "ancien") == []
    assert _exported_receipts(storage_url, "courant") == sorted(
        link.rsplit("/", 2)[1] for link in kept)
    stats = _parole("stats", "--db", storage_url)
    assert _answer_count(stats, "courant") == 2, f"parole stats after the purge:\n{stats}"
    assert _answer_count(stats, "ancien") in (None, 0), f"parole stats after the purge:\n{stats}"
    figures.add("privacy", {"check": "parole purge", "backend": _backend(storage_url),
                            "answers purged": len(old), "answers kept": len(kept)})


def _answer(collector: RunningCollector, site: Path, form_id: str, text: str) -> str:
    """The address of the receipt of a new answer (``/collect/CODE/key``)."""
    reply = collector.post([*hidden_fields(site, form_id), ("avis", text)])
    assert reply.status == 303, f"an answer to {form_id}: {reply.status}, expected 303"
    return reply.headers["location"]


def _parole(*arguments: str) -> str:
    result = subprocess.run([str(PAROLE), *arguments], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, f"parole {' '.join(arguments)}: {result.stderr}"
    return result.stdout


def _exported_receipts(url: str, form_id: str) -> list[str]:
    exported = json.loads(_parole("export", form_id, "--format", "json", "--db", url))
    return sorted(answer["receipt"].replace("-", "") for answer in exported["answers"])


def _answer_count(stats: str, form_id: str) -> int | None:
    """The number of answers ``parole stats`` gives for ``form_id`` (None: not listed)."""
    match = re.search(rf"^Form {re.escape(form_id)}\b.*\n +answers +(\d+)$", stats, re.M)
    return int(match.group(1)) if match else None
