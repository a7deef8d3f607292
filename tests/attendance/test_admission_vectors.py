"""The door's admission rule against the shared cases, which offline.js answers too
(tests/js/admission_vectors.test.js, run below through node)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from attendance.services.admission import (
    AdmissionContext,
    admission_decide,
    group_admission_decide,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads(
    (ROOT / "attendance/static/attendance/admission_vectors.json").read_text(encoding="utf-8")
)
VECTORS = CASES["vectors"]
GROUPS = CASES["groups"]


def test_the_cases_have_unique_names_and_cover_every_answer():
    names = [case["name"] for case in VECTORS]
    assert len(names) == len(set(names)) and len(names) >= 40
    statuses = {case["expected"]["status"] for case in VECTORS}
    assert statuses >= {
        "admitted",
        "already_admitted",
        "unknown_ticket",
        "cancelled",
        "wrong_event",
        "wrong_session",
        "not_valid_today",
        "session_not_open",
        "not_allowed",
        "exited",
        "not_inside",
        "access_ended",
        "exit_scans_disabled",
        "replay",
    }
    assert {case["expected"]["write"] for case in VECTORS} == {
        "admit",
        "reenter",
        "exit",
        "known_walk_in",
        "nothing",
    }


@pytest.mark.parametrize("case", VECTORS, ids=[case["name"] for case in VECTORS])
def test_admission_vector(case):
    decision = admission_decide(AdmissionContext(**case["context"]))

    assert {"status": decision.status, "write": decision.write} == case["expected"]


def test_the_group_cases_have_unique_names_and_cover_the_group_answers():
    names = [case["name"] for case in GROUPS]
    assert len(names) == len(set(names)) and len(names) >= 20
    assert {case["expected"]["status"] for case in GROUPS} >= {
        "admitted",
        "already_admitted",
        "cancelled",
        "exited",
        "unknown_ticket",
        "session_not_open",
    }


@pytest.mark.parametrize("case", GROUPS, ids=[case["name"] for case in GROUPS])
def test_group_admission_vector(case):
    decision = group_admission_decide(
        AdmissionContext(**case["scanned"]),
        [AdmissionContext(**member) for member in case["members"]],
    )

    assert {
        "status": decision.status,
        "members": list(decision.members),
        "admitted": decision.admitted,
    } == case["expected"]


def test_the_phone_answers_the_same_cases():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("node is required (REQUIRE_SERVICES=1) to run tests/js/")
        pytest.skip("node not installed: the JavaScript admission cases did not run")
    result = subprocess.run(  # noqa: S603 (our own test files)
        [node, "--test", str(ROOT / "tests/js")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
