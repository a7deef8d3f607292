"""A real PgBouncer (the Debian package's /usr/sbin/pgbouncer) in transaction mode in front of the
test PostgreSQL, started and stopped by a test, on a port of its own."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

BINARY = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port(first: int, last: int) -> int:
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {first}-{last}")


def admin_rows(port: int, user: str, command: str) -> list[dict]:
    """A command of PgBouncer's admin console (SHOW STATS, SHOW POOLS…) as dicts."""
    with psycopg.connect(
        host="127.0.0.1", port=port, user=user, dbname="pgbouncer", autocommit=True
    ) as admin:
        cursor = admin.execute(command)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextlib.contextmanager
def pgbouncer_running(*, port: int, server_host: str, server_port: int, user: str, pool_size=4):
    """PgBouncer on 127.0.0.1:`port`, transaction pooling, at most `pool_size` server connections
    per database, every database name passed through to the server; no authentication of its
    own (the server trusts local connections here)."""
    if not Path(BINARY).exists():
        raise FileNotFoundError("pgbouncer is not installed (Debian package pgbouncer)")
    directory = Path(tempfile.mkdtemp(prefix="multaqa-pgbouncer-"))
    (directory / "users.txt").write_text(f'"{user}" ""\n')
    config = directory / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
* = host={server_host} port={server_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {directory / "users.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
ignore_startup_parameters = extra_float_digits,options
logfile = {directory / "pgbouncer.log"}
pidfile = {directory / "pgbouncer.pid"}
"""
    )
    command = [BINARY, str(config)]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root: it drops to an unprivileged user, who must be able
        # to read its configuration and write its log.
        directory.chmod(0o777)
        command[1:1] = ["-u", "nobody"]
    # Its log goes to the logfile above (read back when it fails to start), not the test output.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                admin_rows(port, user, "SHOW VERSION")
                break
            except psycopg.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (directory / "pgbouncer.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"pgbouncer did not start: {log}") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


# Where PostgreSQL itself listens while the whole session goes through a PgBouncer
# (TEST_THROUGH_PGBOUNCER=1): tests that need the server itself (pg_dump, a PgBouncer of their own)
# ask here instead of reading the connection settings, which name the session's PgBouncer.
_direct: dict[str, str] = {}


def direct_address(database: dict) -> dict[str, str]:
    """HOST and PORT of the PostgreSQL server behind `database` (a settings dict)."""
    return dict(_direct) or {
        "HOST": database["HOST"] or "127.0.0.1",
        "PORT": str(database["PORT"] or 5432),
    }


def pooled_settings(database: dict, port: int) -> None:
    """Point a connection's settings at a PgBouncer in transaction mode on `port`, as
    DB_PREPARED_STATEMENTS=0 configures it: nothing prepared, no server-side cursors."""
    database.update(
        HOST="127.0.0.1",
        PORT=str(port),
        OPTIONS={k: v for k, v in database["OPTIONS"].items() if k != "prepare_threshold"},
        DISABLE_SERVER_SIDE_CURSORS=True,
    )


@contextlib.contextmanager
def session_through_pgbouncer(database: dict, *, port: int, pool_size: int = 10):
    """Every connection of the test session (and of the workers and servers the tests start,
    which copy these settings) through one PgBouncer; the test database itself is created and
    dropped on the server directly (PgBouncer keeps server connections open, which would block
    the DROP DATABASE)."""
    direct = {"HOST": database["HOST"] or "127.0.0.1", "PORT": str(database["PORT"] or 5432)}
    saved = {key: database.get(key) for key in ("HOST", "PORT", "OPTIONS")}
    saved_cursors = database.get("DISABLE_SERVER_SIDE_CURSORS")
    user = database["USER"] or "postgres"
    with pgbouncer_running(
        port=port,
        server_host=direct["HOST"],
        server_port=int(direct["PORT"]),
        user=user,
        pool_size=pool_size,
    ):
        _direct.update(direct)
        pooled_settings(database, port)
        try:
            yield port
        finally:
            _direct.clear()
            database.update(saved)
            database["DISABLE_SERVER_SIDE_CURSORS"] = saved_cursors
    _server_sessions_gone(direct, user, database["NAME"])


def _server_sessions_gone(direct: dict, user: str, name: str, timeout: float = 10) -> None:
    """Wait until PostgreSQL has ended the sessions PgBouncer held on the test database."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(
        host=direct["HOST"], port=direct["PORT"], user=user, dbname="postgres", autocommit=True
    ) as admin:
        while time.monotonic() < deadline:
            left = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
            if not left:
                return
            time.sleep(0.1)
