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
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
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
