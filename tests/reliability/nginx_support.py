"""A real nginx (Debian's ``/usr/sbin/nginx``) in front of a collector, configured with the
shipped ``deploy/nginx.conf``, and an HTTP client that sends from a chosen loopback address.

The shipped file is what runs: :func:`configured` changes only the values marked ``CHANGE`` in
it (port, host name, site folder, collector's port), the log folder (``/var/log/nginx`` is the
system's) and, when asked, the client timeouts, so that a short test need not wait ten seconds
for a stalled client. Around it, :func:`main_config` writes the few lines Debian's
``/etc/nginx/nginx.conf`` would give (``events``, ``http`` with the MIME types), with every
path in the test's folder, so that nginx runs as an ordinary foreground process. With TLS
(:class:`Tls`), the server also listens on a second port with a self-signed certificate
(:func:`self_signed`), as ``certbot --nginx`` adds it to the server block.
"""

from __future__ import annotations

import http.client
import os
import re
import ssl
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.collector_support import Reply
from tests.support import REPO, free_port, stop_process, wait_for_port

NGINX = Path("/usr/sbin/nginx")
SHIPPED_CONFIG = REPO / "deploy" / "nginx.conf"
SYSTEM_LOG_FOLDER = "/var/log/nginx/"
TIMEOUTS = ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout")
"""The client timeouts a test may shorten (see :func:`configured`)."""
_CHANGE_MARKER = "# CHANGE"
_TIMEOUT_LINE = re.compile(rf"^(\s*)({'|'.join(TIMEOUTS)})\s+(\d+)s;", re.M)


def require_nginx() -> None:
    """Fail (never skip) when Debian's nginx is missing: the deployment would go untested."""
    if not NGINX.is_file():
        pytest.fail(f"{NGINX} is missing, so deploy/nginx.conf cannot be tested. Run "
                    "scripts/check, which installs it (or, as root: apt-get install nginx).",
                    pytrace=False)


def nginx_version() -> str:
    """``nginx/1.22.1``: what ``nginx -v`` prints (on standard error)."""
    result = subprocess.run([str(NGINX), "-v"], capture_output=True, text=True, check=True)
    return result.stderr.strip().removeprefix("nginx version: ")


def placeholders(*, port: int, site_dir: Path, collector_port: int) -> dict[str, str]:
    """Each value the shipped file marks ``CHANGE``, and what the tests put instead."""
    return {
        "server 127.0.0.1:8001;": f"server 127.0.0.1:{collector_port};",
        "listen 80;": f"listen 127.0.0.1:{port};",
        "server_name participer.example.org;": "server_name localhost;",
        "root /srv/parole/site;": f"root {site_dir};",
    }


@dataclass(frozen=True)
class Tls:
    """A second ``listen`` with TLS, as ``certbot --nginx`` adds to the server block."""

    port: int
    certificate: Path
    key: Path

    def lines(self) -> str:
        return (f"    listen 127.0.0.1:{self.port} ssl;\n"
                f"    ssl_certificate {self.certificate};\n"
                f"    ssl_certificate_key {self.key};\n")


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost`` and its key, made with openssl."""
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "localhost.crt", folder / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    return certificate, key


def shipped_timeouts(text: str) -> dict[str, int]:
    """The client timeouts the shipped file sets, in seconds, by directive."""
    return {match.group(2): int(match.group(3)) for match in _TIMEOUT_LINE.finditer(text)}


def configured(
    shipped: str,
    *,
    port: int,
    site_dir: Path,
    collector_port: int,
    log_dir: Path,
    timeouts: Mapping[str, int] | None = None,
    tls: Tls | None = None,
) -> str:
    """``shipped`` with its ``CHANGE`` values, its log folder and the given ``timeouts``
    (seconds, by directive) replaced; raises ``AssertionError`` when the file's placeholders
    are not the ones the tests know, so that a new placeholder cannot go untested."""
    values = placeholders(port=port, site_dir=site_dir, collector_port=collector_port)
    lines = []
    for line in shipped.splitlines(keepends=True):
        if _CHANGE_MARKER not in line:
            lines.append(line)
            continue
        known = [old for old in values if old in line]
        assert len(known) == 1, f"deploy/nginx.conf marks an unknown value to change: {line}"
        lines.append(line.replace(known[0], values.pop(known[0])))
        if tls is not None and known[0].startswith("listen "):
            lines.append(tls.lines())
    assert not values, f"deploy/nginx.conf no longer marks these values CHANGE: {list(values)}"
    text = "".join(lines).replace(SYSTEM_LOG_FOLDER, f"{log_dir}/")
    for directive, seconds in (timeouts or {}).items():
        text, count = re.subn(rf"^(\s*){directive}\s+\d+s;", rf"\g<1>{directive} {seconds}s;",
                              text, flags=re.M)
        assert count == 1, f"deploy/nginx.conf sets {directive} {count} times, expected once"
    return text


def main_config(folder: Path, server_config: Path) -> str:
    """The main configuration around the shipped file, as Debian's nginx.conf would include
    it from its ``http`` block; every file nginx writes goes under ``folder``."""
    # As root, nginx's workers would switch to "nobody", who cannot read pytest's private
    # temporary folders where the site is built.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temporary = "\n".join(f"    {kind}_temp_path {folder / kind};"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'logs' / 'main.error.log'} info;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            "    types_hash_max_size 2048;\n"
            f"    access_log {folder / 'logs' / 'default.access.log'};\n"
            f"{temporary}\n"
            f"    include {server_config};\n"
            "}\n")


DEBIAN_MAIN_CONFIG = Path("/etc/nginx/nginx.conf")
_SITES_INCLUDE = "include /etc/nginx/sites-enabled/*;"


def debian_main_config(folder: Path, server_config: Path) -> str:
    """Debian's own ``/etc/nginx/nginx.conf`` (its http block sets ``gzip on``, an access log,
    SSL protocols…) including ``server_config`` where it includes ``sites-enabled``; its user,
    pid and log files moved to ``folder``. For ``nginx -t`` only: the file as installed."""
    text = DEBIAN_MAIN_CONFIG.read_text(encoding="utf-8")
    assert _SITES_INCLUDE in text, f"{DEBIAN_MAIN_CONFIG} does not {_SITES_INCLUDE}"
    text = text.replace(_SITES_INCLUDE, f"include {server_config};")
    text = re.sub(r"^(\s*)user\s[^;]*;", r"\1" + ("user root;" if os.geteuid() == 0 else ""),
                  text, flags=re.M)
    for directive in ("pid", "error_log", "access_log"):
        text = re.sub(rf"^(\s*){directive}\s[^;]*;",
                      rf"\g<1>{directive} {folder / 'logs' / directive};", text, flags=re.M)
    return text


@dataclass
class RunningNginx:
    port: int
    process: subprocess.Popen[bytes]
    folder: Path
    config_text: str
    """The shipped file as this nginx runs it (placeholders replaced)."""
    tls: Tls | None = None

    @property
    def log_dir(self) -> Path:
        return self.folder / "logs"

    def logs(self) -> dict[Path, bytes]:
        """Every log file nginx wrote, with its content."""
        return {path: path.read_bytes() for path in sorted(self.log_dir.iterdir())}

    def request(self, method: str, path: str, body: bytes = b"",
                headers: Mapping[str, str] | None = None, *, source: str = "127.0.0.1") -> Reply:
        return send(self.port, method, path, body, headers, source=source)

    def request_tls(self, method: str, path: str, body: bytes = b"",
                    headers: Mapping[str, str] | None = None, *,
                    source: str = "127.0.0.1") -> Reply:
        """Like :meth:`request`, over HTTPS (the certificate is self-signed: not verified)."""
        assert self.tls is not None, "this nginx was started without TLS"
        return send(self.tls.port, method, path, body, headers, source=source, tls=True)


def write_config(folder: Path, *, port: int, site_dir: Path, collector_port: int,
                 timeouts: Mapping[str, int] | None = None, tls: Tls | None = None) -> Path:
    """Write the configured shipped file and the main configuration into ``folder``; returns
    the main configuration's path."""
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    server = folder / "parole.conf"
    server.write_text(configured(SHIPPED_CONFIG.read_text(encoding="utf-8"), port=port,
                                 site_dir=site_dir, collector_port=collector_port,
                                 log_dir=folder / "logs", timeouts=timeouts, tls=tls),
                      encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, server), encoding="utf-8")
    return main


def nginx_command(folder: Path, main: Path, *extra: str) -> list[str]:
    # -e: the log nginx writes to before it has read the configuration (Debian's default is
    # /var/log/nginx/error.log); -p: relative paths, if any, stay in the folder.
    return [str(NGINX), "-p", f"{folder}/", "-c", str(main),
            "-e", str(folder / "logs" / "startup.error.log"), *extra]


@contextmanager
def running_nginx(site_dir: Path, collector_port: int, folder: Path, *,
                  timeouts: Mapping[str, int] | None = None,
                  tls: bool = False) -> Iterator[RunningNginx]:
    """nginx in the foreground on a free port of 127.0.0.1, serving ``site_dir`` and passing
    the answers to the collector on ``collector_port`` (with ``tls``, also over HTTPS on a
    second port); stopped at the end."""
    require_nginx()
    port = free_port()
    secure = Tls(free_port(), *self_signed(folder / "tls")) if tls else None
    main = write_config(folder, port=port, site_dir=site_dir, collector_port=collector_port,
                        timeouts=timeouts, tls=secure)
    output = (folder / "nginx.output").open("wb")
    process = subprocess.Popen(nginx_command(folder, main), stdout=output,
                               stderr=subprocess.STDOUT)
    running = RunningNginx(port, process, folder,
                           (folder / "parole.conf").read_text(encoding="utf-8"), secure)
    try:
        wait_for_port(port, process, "nginx", lambda: (folder / "nginx.output").read_text(
            errors="replace"), timeout=15.0)
        yield running
    finally:
        stop_process(process)
        output.close()


def send(port: int, method: str, path: str, body: bytes = b"",
         headers: Mapping[str, str] | None = None, *, source: str = "127.0.0.1",
         tls: bool = False) -> Reply:
    """One HTTP request to ``127.0.0.1:port`` from the loopback address ``source`` (any of
    127.0.0.0/8 works on Linux), so that a server sees distinct clients; no redirect followed.
    With ``tls``, over HTTPS, without checking the certificate (the tests' is self-signed)."""
    connection: http.client.HTTPConnection
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                                 source_address=(source, 0), context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                                source_address=(source, 0))
    try:
        connection.request(method, path, body=body or None, headers=dict(headers or {}))
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                     response.read())
    finally:
        connection.close()
