"""A real PostgreSQL primary and its streaming read replica (made with pg_basebackup), started by
a test on ports of its own, with the schema of the test database. The shared server is left
alone: it accepts no replication connections, so the pair is a cluster of its own."""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "multaqa"


def _run(*command: str) -> None:
    """As the postgres user when we are root: PostgreSQL refuses to run as root."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


def _start(data: Path, port: int, sockets: Path) -> None:
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c shared_buffers=16MB -c max_connections=40"
    )
    _run(
        str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start"
    )


def _local_superuser(port: int) -> list[str]:
    """The command-line options of psql and pg_basebackup for the local cluster on `port`."""
    return ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]


def _connect(port: int, dbname: str = DATABASE) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
    )


def replica_caught_up(primary_port: int, replica_port: int, timeout: float = 20) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    with _connect(primary_port) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with _connect(replica_port) as replica:
        while True:
            caught_up = replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()[0]
            if caught_up:
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.05)


def set_replay_paused(replica_port: int, paused: bool) -> None:
    with _connect(replica_port) as replica:
        replica.execute(
            "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
        )


@contextlib.contextmanager
def primary_and_replica(*, schema_from: dict, primary_port: int, replica_port: int):
    """Start a primary (with `schema_from`'s schema, dumped with pg_dump) and its hot-standby
    replica; yield their ports; stop both and delete them. Raises when any step fails, with
    PostgreSQL's own message."""
    root = Path(tempfile.mkdtemp(prefix="multaqa-replica-"))
    primary, replica, sockets = root / "primary", root / "replica", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    started = []
    try:
        _run(str(BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-N")
        _start(primary, primary_port, sockets)
        started.append(primary)
        schema = subprocess.run(
            [
                str(BIN / "pg_dump"),
                "--schema-only",
                "--no-owner",
                "-h",
                schema_from["HOST"] or "127.0.0.1",
                "-p",
                str(schema_from["PORT"] or 5432),
                "-U",
                schema_from["USER"] or "postgres",
                schema_from["NAME"],
            ],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        with _connect(primary_port, "postgres") as admin:
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
        subprocess.run(
            [
                str(BIN / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                *_local_superuser(primary_port),
                "-d",
                DATABASE,
            ],
            input=schema,
            check=True,
            capture_output=True,
            timeout=120,
        )
        _run(
            str(BIN / "pg_basebackup"),
            *_local_superuser(primary_port),
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
        )
        _start(replica, replica_port, sockets)
        started.append(replica)
        yield {"primary_port": primary_port, "replica_port": replica_port, "name": DATABASE}
    finally:
        for data in reversed(started):
            with contextlib.suppress(subprocess.SubprocessError):
                _run(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
