"""Running this project's Python in a child process with an environment of the test's choosing
(settings are read once per process, so a different environment needs a new process)."""

import os
import subprocess
import sys


def environment_without(*names: str, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in names}
    env.update(overrides)
    return env


def run_python(*args: str, cwd, env: dict[str, str], timeout: int) -> str:
    """The child's standard output; a failing child fails the test with its error output."""
    done = subprocess.run(  # noqa: S603 - our own interpreter with the test's fixed arguments
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
