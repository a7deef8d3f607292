"""The load driver: a separate process (no Django) that POSTs scans with httpx's async client at
a fixed concurrency and prints one JSON line of results. Run by bench/run.py; usable by hand:

    python -m bench.scan_load --url http://127.0.0.1:8765/api/v1/checkin/scan --token T \
        --session 1 --secrets var/bench/secrets.txt --start 0 --count 1000 --concurrency 8
"""

import argparse
import asyncio
import collections
import json
import statistics
import time
import uuid

import httpx


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def drive(*, url, token, session_id, texts, concurrency) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    statuses: collections.Counter = collections.Counter()
    next_index = 0

    async def worker(client):
        nonlocal next_index
        while next_index < len(texts):
            text = texts[next_index]
            next_index += 1
            payload = {"text": text, "session_id": session_id, "nonce": str(uuid.uuid4())}
            started = time.perf_counter()
            response = await client.post(url, json=payload, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code == 200:
                statuses[response.json().get("status", "?")] += 1
            else:
                statuses[f"http_{response.status_code}"] += 1

    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0.0,
        "statuses": dict(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--session", type=int, required=True)
    parser.add_argument("--secrets", required=True, help="file with one ticket secret per line")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--same", action="store_true", help="scan the first secret --count times (storm)"
    )
    args = parser.parse_args()
    with open(args.secrets) as handle:
        secrets = [line.strip() for line in handle if line.strip()]
    if args.same:
        texts = [secrets[args.start]] * args.count
    else:
        texts = secrets[args.start : args.start + args.count]
        if len(texts) < args.count:
            parser.error("not enough secrets in the file for --start/--count")
    result = asyncio.run(
        drive(
            url=args.url,
            token=args.token,
            session_id=args.session,
            texts=texts,
            concurrency=args.concurrency,
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
