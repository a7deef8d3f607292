"""The offline pack's ticket columns (attendance/offline_format.py): what goes in comes out, and
cut hashes are widened rather than shared by two tickets."""

import hashlib

from attendance.offline_format import HASH_BYTES, hash_width, tickets_decode, tickets_encode


def _hash(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def test_columns_give_back_every_ticket_field():
    encoded = tickets_encode(
        ids=[3, 4, 9],
        secret_hashes=[_hash("s3"), _hash("s4"), _hash("s9")],
        code_hashes=[_hash("c3"), _hash("c4"), _hash("c9")],
        first_names=["Aminata", "Ali", "Zineb"],
        coded={
            "status": ["valid", "cancelled", "valid"],
            "gender": ["female", "male", "female"],
            "age_band": ["25-59", "0-14", "15-24"],
            "profile": ["migrant", "host", "refugee"],
        },
        group_sizes=[2, 2, 1],
        groups=[3, 3, 9],
        sessions=[[], [7, 8], []],
    )

    rows = tickets_decode(encoded)

    assert encoded["hash_bytes"] == HASH_BYTES
    assert rows[1] == {
        "id": 4,
        "secret_hash": _hash("s4")[:HASH_BYTES].hex(),
        "code_hash": _hash("c4")[:HASH_BYTES].hex(),
        "first_name": "Ali",
        "status": "cancelled",
        "gender": "male",
        "age_band": "0-14",
        "profile": "host",
        "group_size": 2,
        "group": 3,
        "sessions": [7, 8],
    }
    assert [row["id"] for row in rows] == [3, 4, 9]
    assert (rows[2]["group"], rows[2]["group_size"], rows[2]["sessions"]) == (9, 1, [])


def test_two_hashes_sharing_their_first_bytes_widen_the_column():
    shared = b"\x01" * HASH_BYTES
    hashes = [shared + b"\x02" * 24, shared + b"\x03" * 24, b"\x04" * 32]

    assert hash_width(hashes) == HASH_BYTES + 4
    assert hash_width([b"\x05" * 32, b"\x06" * 32]) == HASH_BYTES


def test_a_widened_column_still_names_each_ticket_apart():
    shared = b"\x01" * HASH_BYTES
    encoded = tickets_encode(
        ids=[1, 2],
        secret_hashes=[shared + b"\x02" * 24, shared + b"\x03" * 24],
        code_hashes=[_hash("c1"), _hash("c2")],
        first_names=["A", "B"],
        coded={
            "status": ["valid"] * 2,
            "gender": [""] * 2,
            "age_band": [""] * 2,
            "profile": [""] * 2,
        },
        group_sizes=[1, 1],
        groups=[1, 2],
        sessions=[[], []],
    )

    first, second = tickets_decode(encoded)
    assert encoded["hash_bytes"] == HASH_BYTES + 4
    assert first["secret_hash"] != second["secret_hash"]
    assert first["code_hash"] == _hash("c1")[: HASH_BYTES + 4].hex()
