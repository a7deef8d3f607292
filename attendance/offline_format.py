"""The offline pack's ticket list in columns, small on the wire and cheap to read on a phone.

An event of 20,000 tickets as rows of JSON values weighed 3.8 MB (1.7 MB gzipped), nearly all of
it two 64-character hex hashes per ticket, which no compression shrinks. Here each column is
stored once for all tickets:
- `id`: ticket ids ascending, as the first id then the differences (mostly 1: compresses well);
- `secret_hash`, `code_hash`: the hashes cut to their first `hash_bytes` bytes, concatenated and
  base64-encoded. The phone hashes what it scans in full and compares the first bytes; it finds
  a hash in the decoded string directly, with no per-ticket object or index;
- `first_name`: a list of strings;
- `gender`, `age_band`, `profile`, `status`: the distinct values, and one character per ticket
  giving the value's position (CODE_ALPHABET);
- `group_size`, `group`, `sessions`: only for the tickets where they say something (a household's
  or class's members, tickets restricted to some sessions), keyed by the ticket's position.

Cut hashes. 8 bytes (64 bits) per hash: two tickets of a pack of n share a cut secret hash (or a
cut code hash) with a probability of about n² / 2^65 (1e-11 for 20,000 tickets), and a text that
names no ticket matches one by chance with a probability of n / 2^64. The build checks anyway
and widens every hash of the column until no two tickets share one (`hash_width`). Cutting the
slow code hash publishes fewer of its bits, so it keeps its purpose: trying every short code
still costs one slow hash per code. The sync accepts a ticket's cut secret hash as the pack gave
it (services/sync.py)."""

import base64

HASH_BYTES = 8
FULL_HASH_BYTES = 32
# One character per ticket for a column of few distinct values (never more than 64).
CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
CODED_COLUMNS = ("gender", "age_band", "profile", "status")


def hash_width(hashes: list[bytes], start: int = HASH_BYTES) -> int:
    """The fewest bytes, from `start`, that keep every hash of the list distinct."""
    width = start
    while width < FULL_HASH_BYTES and len({h[:width] for h in hashes}) < len(hashes):
        width += 4
    return width


def _coded(values: list[str]) -> dict:
    distinct = sorted(set(values))
    if len(distinct) > len(CODE_ALPHABET):
        raise ValueError("too many distinct values for a coded column")
    position = {value: CODE_ALPHABET[i] for i, value in enumerate(distinct)}
    return {"values": distinct, "codes": "".join(position[value] for value in values)}


def tickets_encode(
    *,
    ids: list[int],
    secret_hashes: list[bytes],
    code_hashes: list[bytes],
    first_names: list[str],
    coded: dict[str, list[str]],
    group_sizes: list[int],
    groups: list[int],
    sessions: list[list[int]],
) -> dict:
    """The columns of the pack's tickets, ordered by id (every list in the same order)."""
    width = max(hash_width(secret_hashes), hash_width(code_hashes))
    deltas = [b - a for a, b in zip([0, *ids], ids, strict=False)]
    return {
        "count": len(ids),
        "hash_bytes": width,
        "id": deltas,
        "secret_hash": base64.b64encode(b"".join(h[:width] for h in secret_hashes)).decode(),
        "code_hash": base64.b64encode(b"".join(h[:width] for h in code_hashes)).decode(),
        "first_name": first_names,
        **{name: _coded(values) for name, values in coded.items()},
        "group_size": {str(i): size for i, size in enumerate(group_sizes) if size != 1},
        "group": {
            str(i): group
            for i, (group, size) in enumerate(zip(groups, group_sizes, strict=True))
            if size > 1
        },
        "sessions": {str(i): ids_ for i, ids_ in enumerate(sessions) if ids_},
    }


def tickets_decode(tickets: dict) -> list[dict]:
    """The tickets of an encoded list as one dict each, with the hashes in hex as the pack cut
    them (what offline.js reads, for tests and tools)."""
    width = tickets["hash_bytes"]
    secret = base64.b64decode(tickets["secret_hash"])
    code = base64.b64decode(tickets["code_hash"])
    rows, ticket_id = [], 0
    for i, delta in enumerate(tickets["id"]):
        ticket_id += delta
        key = str(i)
        row = {
            "id": ticket_id,
            "secret_hash": secret[i * width : (i + 1) * width].hex(),
            "code_hash": code[i * width : (i + 1) * width].hex(),
            "first_name": tickets["first_name"][i],
            "group_size": tickets["group_size"].get(key, 1),
            "group": tickets["group"].get(key, ticket_id),
            "sessions": tickets["sessions"].get(key, []),
        }
        for name in CODED_COLUMNS:
            column = tickets[name]
            row[name] = column["values"][CODE_ALPHABET.index(column["codes"][i])]
        rows.append(row)
    return rows
