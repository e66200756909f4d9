"""A watch on the network while the reliability suites run: nothing they start may talk to
anything but this machine's loopback (127.0.0.0/8, ::1).

Two watchers write one log (one line per event, tab-separated: process, watcher, verdict,
destination):

- **In every Python process, an audit hook** (PEP 578) sees ``socket.connect``, ``sendto``,
  ``sendmsg`` and name lookups before they happen, whatever their outcome. The test process
  installs it with :func:`install_hook`; every Python child (``parole collect``, ``parole
  export``…) loads this very file from the ``sitecustomize.py`` that :meth:`NetWatch.start`
  writes into a folder put first on ``PYTHONPATH`` (children inherit the environment).
- **For every other program** (nginx, PostgreSQL, LibreOffice, Chromium, and C libraries such
  as libpq inside Python), a sampler thread asks the kernel every 50 ms for the machine's live
  TCP and UDP connections and reports those with a remote address outside loopback whose socket
  belongs to the test process or one of its descendants, so that a developer's own programs
  never fail the suite. The test process is made a child subreaper meanwhile, so that a daemon
  it starts (``pg_ctl`` starting PostgreSQL) stays its descendant. (Such a daemon, once ended,
  stays a zombie of the test process until the session ends: harmless here, as PostgreSQL
  removes its pid file on every shutdown, immediate ones included, so no restart mistakes the
  zombie for a live server.)

The sampler asks the kernel through ``sock_diag`` netlink rather than by reading
``/proc/net/tcp``: the kernel formats every ``TIME_WAIT`` socket into that file (about 7 000
after a load suite: 25-30 ms per read, measured), while ``sock_diag`` leaves those out itself
(about 1 ms). A socket in ``TIME_WAIT`` has no owner left to blame anyway.

This module uses the standard library only: Python children load it by its path.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LOG_VARIABLE = "PAROLE_NETWATCH_LOG"
"""Names the log file in the environment, for the Python children."""
OUTSIDE = "OUTSIDE"
LOOPBACK = "loopback"
SAMPLE_SECONDS = 0.05

_CONNECTIONS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
_LOOKUPS = frozenset({"socket.getaddrinfo", "socket.gethostbyname"})
_LOCAL_NAMES = frozenset({"", "localhost", "localhost.localdomain", "ip6-localhost",
                          "ip6-loopback"})


def is_local(host: object) -> bool:
    """Whether ``host`` (an address or a name, as given to a socket call) stays on this
    machine: loopback, the unspecified address (connecting to it reaches this machine), or a
    name of localhost. Any other name is not: looking it up may ask a DNS server."""
    if host is None:
        return True
    name = _name(host)
    if name is None:
        return False
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    address = _address(name)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address is not None and (address.is_loopback or address.is_unspecified)


def _name(host: object) -> str | None:
    """``host`` as plain lowercase text: no brackets, IPv6 zone or final dot."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return None
    return host.strip().strip("[]").split("%", 1)[0].rstrip(".").lower()


def _address(name: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name or "")
    except ValueError:
        return None


# -- the audit hook ------------------------------------------------------------------------------

class _Hook:
    """Where the hook of this process writes (``fd`` None: it does nothing)."""

    fd: int | None = None
    source = "python"
    installed = False


def install_hook(log_path: str | None, source: str = "python") -> None:
    """Append this process's internet connections and name lookups to ``log_path`` (None stops
    it), as coming from ``source``. Audit hooks cannot be removed, so the hook is added once
    per process and this only changes where it writes."""
    previous = _Hook.fd
    _Hook.fd = (os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                if log_path else None)
    _Hook.source = source
    if previous is not None:
        os.close(previous)
    if not _Hook.installed:
        _Hook.installed = True
        sys.addaudithook(_audit)


def _audit(event: str, args: tuple[object, ...]) -> None:
    # Called for every audited event of the process (file opens, imports…): return at once
    # for all but the few that matter. It must never raise: that would fail the socket call.
    if event not in _CONNECTIONS and event not in _LOOKUPS:
        return
    fd = _Hook.fd
    if fd is None:
        return
    try:
        judged = verdict(event, args)
        if judged is not None:
            line = f"{os.getpid()}\t{_Hook.source}\t{judged[0]}\t{event} {judged[1]}\n"
            # One write to a file opened for appending: lines of concurrent threads and
            # processes never mix.
            os.write(fd, line.encode("utf-8", "replace"))
    except Exception:
        pass  # a watch must not break what it watches


def verdict(event: str, args: tuple[object, ...]) -> tuple[str, str] | None:
    """(LOOPBACK or OUTSIDE, destination) for an event worth a line, else None: lookups are
    logged only when they may leave the machine, connections always (they are counted)."""
    if event in _LOOKUPS:
        host = args[0] if args else None
        # An address needs no lookup (the connection that follows is what counts); a name
        # other than localhost may be sent to a DNS server.
        if is_local(host) or _address(_name(host)) is not None:
            return None
        return OUTSIDE, repr(host)
    sock, address = args[0], args[1] if len(args) > 1 else None
    family = getattr(sock, "family", None)
    if family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
        return None  # Unix and netlink sockets; sendmsg on a connected socket
    host = address[0] if address else None
    return (LOOPBACK if is_local(host) else OUTSIDE), repr(address)


SITECUSTOMIZE = '''\
"""Written by tests/reliability/netwatch.py: every Python process the reliability suites start
reports its network use to the suites' watch."""
import importlib.machinery
import importlib.util
import os
import sys

_spec = importlib.util.spec_from_file_location("parole_netwatch", {module!r})
_netwatch = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _netwatch  # its dataclasses look their module up there
_spec.loader.exec_module(_netwatch)
_netwatch.install_hook(os.environ.get({variable!r}), source="child")

# This file hides any sitecustomize the machine has (Debian's, say): run that one too.
_folder = os.path.dirname(os.path.abspath(__file__))
_other = importlib.machinery.PathFinder.find_spec(
    "sitecustomize", [entry for entry in sys.path if os.path.abspath(entry or ".") != _folder])
if _other is not None and _other.loader is not None:
    _other.loader.exec_module(importlib.util.module_from_spec(_other))
'''


# -- the sampler ---------------------------------------------------------------------------------

_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLM_F_REQUEST_DUMP = 0x1 | 0x300
_NLMSG_ERROR, _NLMSG_DONE = 2, 3
_TIME_WAIT, _CLOSE, _LISTEN = 6, 7, 10
_LIVE_STATES = sum(1 << state for state in range(1, 13) if state not in (_TIME_WAIT, _CLOSE,
                                                                         _LISTEN))
"""TCP states with a peer and an owner (UDP: 1 is a connected socket, 7 an unconnected one)."""
_HEADER = struct.Struct("=IHHII")
_REQUEST = struct.Struct("=BBBBI48x")
"""inet_diag_req_v2: family, protocol, extensions, pad, states, an empty inet_diag_sockid."""


ROUTE_PROBES = frozenset({("udp", "2001:4860:4860::8888", 443), ("udp", "8.8.8.8", 443)})
"""Chromium's reachability probes (``IsGloballyReachable`` in its host resolver): to learn
whether this machine has a route to the internet, it ``connect()``s a UDP socket to Google's
public DNS address and reads back the local address the kernel chose. Connecting a UDP socket
sends no packet, so nothing leaves the machine; the sampler does not report those sockets. A
TCP connection there, or a UDP socket to any other port or address, is still reported."""


@dataclass(frozen=True)
class Connection:
    protocol: str
    remote: str
    port: int
    inode: int

    @property
    def leaves(self) -> bool:
        """Whether the socket talks to another machine (a route probe does not)."""
        return (not is_local(self.remote)
                and (self.protocol, self.remote, self.port) not in ROUTE_PROBES)


def live_connections() -> Iterator[Connection]:
    """Every TCP and UDP socket of this machine (this network namespace) that has a peer, as
    the kernel's sock_diag lists them."""
    for family in (socket.AF_INET, socket.AF_INET6):
        for protocol, name in ((socket.IPPROTO_TCP, "tcp"), (socket.IPPROTO_UDP, "udp")):
            yield from _dump(family, protocol, name)


def _dump(family: int, protocol: int, name: str) -> Iterator[Connection]:
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG) as netlink:
        request = _REQUEST.pack(family, protocol, 0, 0, _LIVE_STATES)
        netlink.send(_HEADER.pack(_HEADER.size + len(request), _SOCK_DIAG_BY_FAMILY,
                                  _NLM_F_REQUEST_DUMP, 1, 0) + request)
        while True:
            data = netlink.recv(1 << 16)
            offset = 0
            while offset < len(data):
                length, kind = struct.unpack_from("=IH", data, offset)
                if kind == _NLMSG_DONE:
                    return
                if kind == _NLMSG_ERROR:
                    (error,) = struct.unpack_from("=i", data, offset + _HEADER.size)
                    raise OSError(-error, f"sock_diag ({name}): {os.strerror(-error)}")
                yield _connection(data, offset + _HEADER.size, name)
                offset += (length + 3) & ~3


def _connection(data: bytes, at: int, protocol: str) -> Connection:
    # inet_diag_msg: family, state, timer, retrans (4 bytes), then inet_diag_sockid: sport,
    # dport (big-endian), src[16], dst[16], interface, cookie[2]; then expires, rqueue, wqueue,
    # uid, inode.
    family = data[at]
    (port,) = struct.unpack_from(">H", data, at + 6)
    raw = data[at + 24:at + 40]
    remote = socket.inet_ntop(family, raw if family == socket.AF_INET6 else raw[:4])
    (inode,) = struct.unpack_from("=I", data, at + 68)
    return Connection(protocol, remote, port, inode)


def descendants(root: int) -> set[int]:
    """``root`` and every process below it, from each process's parent in ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # it has just ended
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    family, waiting = {root}, [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in family:
                family.add(child)
                waiting.append(child)
    return family


def socket_inodes(pids: set[int]) -> dict[int, int]:
    """The inode of every socket the processes ``pids`` hold open, with its holder."""
    owners: dict[int, int] = {}
    for pid in pids:
        try:
            descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue  # it has just ended
        for descriptor in descriptors:
            try:
                target = str(descriptor.readlink())
            except OSError:
                continue
            if target.startswith("socket:["):
                owners[int(target[8:-1])] = pid
    return owners


def _command(pid: int) -> str:
    """The program ``pid`` runs, to say who tried to leave."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace").strip()[:200]
    except OSError:
        return "ended"


class Sampler:
    """Samples the live connections every :data:`SAMPLE_SECONDS` in a thread and logs those
    of ``root``'s family that leave the machine, each once."""

    def __init__(self, root: int, log_path: Path) -> None:
        self.root = root
        self.log_path = log_path
        self.connections_seen: set[tuple[str, int]] = set()
        self.failure: BaseException | None = None
        self._reported: set[int] = set()
        self._foreign: set[int] = set()
        """Sockets of other programs of the machine (a developer's browser): looked up once."""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="netwatch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(SAMPLE_SECONDS):
                self.sample()
        except BaseException as error:  # reported by NetWatch.take_outside, never lost
            self.failure = error

    def sample(self) -> None:
        with self._lock:
            outside = []
            for connection in live_connections():
                self.connections_seen.add((connection.protocol, connection.inode))
                if (connection.leaves and connection.inode not in self._reported
                        and connection.inode not in self._foreign):
                    outside.append(connection)
            if not outside:
                return  # the usual case: no need to look at processes at all
            owners = socket_inodes(descendants(self.root))
            lines = []
            for connection in outside:
                if connection.inode not in owners:
                    self._foreign.add(connection.inode)
                else:
                    self._reported.add(connection.inode)
                    pid = owners[connection.inode]
                    lines.append(f"{pid}\tsampler\t{OUTSIDE}\t{connection.protocol} "
                                 f"{connection.remote} port {connection.port} "
                                 f"({_command(pid)})\n")
            if lines:
                with self.log_path.open("a", encoding="utf-8") as log:
                    log.writelines(lines)


# -- the watch -----------------------------------------------------------------------------------

def _set_child_subreaper(on: bool) -> None:
    """Orphans of our descendants (a daemon that forked away) become our children instead of
    init's, so they stay in the family the sampler watches."""
    import ctypes  # noqa: PLC0415 - only the test process needs it, not every child

    pr_set_child_subreaper = 36
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_child_subreaper, int(on), 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(error)}")


class NetWatch:
    """The watch of one test session: :meth:`start`, :meth:`take_outside` after each test,
    :meth:`stop`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.log_path = folder / "netwatch.log"
        self.python_folder = folder / "python"
        """Put first on PYTHONPATH: holds the sitecustomize.py children load."""
        self.sampler = Sampler(os.getpid(), self.log_path)
        self.outside_seen = 0
        """Lines of :meth:`take_outside` so far, but for those a test caused on purpose."""
        self._offset = 0
        self._running = False

    def start(self) -> None:
        self.log_path.touch()
        self.python_folder.mkdir(exist_ok=True)
        (self.python_folder / "sitecustomize.py").write_text(
            SITECUSTOMIZE.format(module=str(Path(__file__).resolve()), variable=LOG_VARIABLE),
            encoding="utf-8")
        install_hook(str(self.log_path), source="tests")
        _set_child_subreaper(True)
        self.sampler.start()
        self._running = True

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self.sampler.stop()
        _set_child_subreaper(False)
        install_hook(None)

    def take_outside(self, *, on_purpose: bool = False) -> list[str]:
        """What left (or tried to leave) the machine since the last call, one line each; a
        sampler that stopped on an error counts as such a line, since nothing is watched.
        ``on_purpose``: a test caused them to prove the watch works; they are not counted in
        :attr:`outside_seen`."""
        if self._running:
            self.sampler.sample()  # the last moments of a test, not yet sampled
        with self.log_path.open("rb") as log:
            log.seek(self._offset)
            new = log.read()
        complete = new[:new.rfind(b"\n") + 1]  # a child may be writing a line right now
        self._offset += len(complete)
        outside = [line for line in complete.decode("utf-8", "replace").splitlines()
                   if f"\t{OUTSIDE}\t" in line]
        if self.sampler.failure is not None:
            outside.append(f"the connection sampler stopped: {self.sampler.failure!r}")
        if not on_purpose:
            self.outside_seen += len(outside)
        return outside

    def connections_checked(self) -> int:
        """Connections seen so far: those of Python processes (the hook) and the distinct
        sockets the sampler saw."""
        with self.log_path.open(encoding="utf-8", errors="replace") as log:
            python = sum(1 for line in log
                         if line.split("\t")[-1].split(" ", 1)[0] in _CONNECTIONS)
        return python + len(self.sampler.connections_seen)
