"""The results table: one row per figure, with its same-run baseline, the ratio and the goal."""

import json
from pathlib import Path


def _row(benchmark, figure, value, baseline="", ratio="", goal="", verdict=""):
    return [benchmark, figure, value, baseline, ratio, goal, verdict]


def _ok(condition: bool) -> str:
    return "met" if condition else "NOT MET"


def scan_rows(results: dict) -> list[list[str]]:
    rows = []
    queries = results["scan_queries"]
    rows.append(
        _row(
            "1 scan",
            "SQL statements per scan, token recalled, BEGIN/COMMIT included (first / repeat)",
            f"{queries['first']['queries']} / {queries['repeat']['queries']}",
            "4 (BEGIN, SELECT, INSERT, COMMIT)",
            "",
            "constant, small",
        )
    )
    for level in results["http"]["levels"]:
        c = level["concurrency"]
        base = level["baseline"]
        for mode in ("first", "repeat"):
            run = level[mode]
            ratio = run["rps"] / base["rps"]
            goal, verdict = "", ""
            if mode == "first":
                goal, verdict = ">= 0.70", _ok(ratio >= 0.70)
            rows.append(
                _row(
                    "1 scan",
                    f"c={c} {mode} scans req/s ({run['requests']} tickets)",
                    f"{run['rps']:.0f}",
                    f"{base['rps']:.0f}",
                    f"{ratio:.2f}",
                    goal,
                    verdict,
                )
            )
            p99_ratio = run["p99_ms"] / base["p99_ms"]
            goal, verdict = "", ""
            if c == 8 and mode == "first":
                goal, verdict = "<= 1.5", _ok(p99_ratio <= 1.5)
            rows.append(
                _row(
                    "1 scan",
                    f"c={c} {mode} p50/p95/p99 ms",
                    f"{run['p50_ms']:.1f}/{run['p95_ms']:.1f}/{run['p99_ms']:.1f}",
                    f"{base['p50_ms']:.1f}/{base['p95_ms']:.1f}/{base['p99_ms']:.1f}",
                    f"p99 {p99_ratio:.2f}",
                    goal,
                    verdict,
                )
            )
        answers = level["first"]["statuses"]
        statuses = ", ".join(f"{k}={v}" for k, v in sorted(answers.items()))
        # A run whose first scans were not all admissions measured something else (429s, errors).
        rows.append(
            _row(
                "1 scan",
                f"c={c} first-scan answers",
                statuses,
                "",
                "",
                "all admitted",
                _ok(set(answers) == {"admitted"}),
            )
        )
    for label, storm in (
        ("HTTP, 100 clients", results["http"]["storm_http"]),
        (f"DB, {results['storm_db']['threads']} threads", results["storm_db"]),
    ):
        rows.append(
            _row(
                "2 storm",
                f"same ticket, {label}: admitted (rows)",
                f"{storm['admitted']} ({storm['rows']})",
                "",
                "",
                "exactly 1",
                _ok(storm["admitted"] == 1 and storm["rows"] == 1),
            )
        )
    return rows


def figures_rows(results: dict) -> list[list[str]]:
    rows = []
    for size in results.get("figures", []):
        rows.append(
            _row(
                "3 figures",
                f"{size['rows']:,} attendances: ms per call (queries)",
                f"{size['figures_ms']:.1f} ({size['queries']})",
                f"{size['count_ms']:.1f} (COUNT)",
                f"{size['figures_ms'] / size['count_ms']:.1f}",
                "queries constant",
                _ok(size["queries"] == results["figures"][0]["queries"]),
            )
        )
    return rows


def figures_national_rows(results: dict) -> list[list[str]]:
    national = results["figures_1m"]
    count = national["count_ms"]
    return [
        _row(
            "3b figures 1M",
            f"programme figures, {national['rows']:,} rows: ms (statements)",
            f"{national['full_ms']:.0f} ({national['full_queries']})",
            f"{count:.0f} (COUNT)",
            f"{national['full_ms'] / count:.2f}",
            "<= 3",
            _ok(national["full_ms"] <= 3 * count),
        ),
        _row(
            "3b figures 1M",
            "one city, one quarter, one kind: ms (statements)",
            f"{national['filtered_ms']:.0f} ({national['filtered_queries']})",
            f"{count:.0f} (COUNT)",
            f"{national['filtered_ms'] / count:.2f}",
            "<= 10",
            _ok(national["filtered_ms"] <= 10 * count),
        ),
        _row(
            "3b figures 1M",
            "1M-row INSERT with its triggers / reach of the people it queued, recomputed: s",
            f"{national['insert_s']:.1f} / {national['flush_s']:.1f} ({national['flushed']:,})",
            "",
            "",
            "",
            "",
        ),
        _row(
            "3b figures 1M",
            "tallies equal a recomputation from the rows",
            "yes" if national["tallies_exact"] else "no",
            "",
            "",
            "yes",
            _ok(national["tallies_exact"]),
        ),
    ]


def tickets_rows(results: dict) -> list[list[str]]:
    tickets = results.get("tickets")
    if not tickets:
        return []
    return [
        _row(
            "5 tickets",
            f"issue {tickets['count']:,} tickets (QR lazy): tickets/s",
            f"{tickets['issue_per_s']:.0f}",
            f"{tickets['baseline_per_s']:.0f} (bare INSERT)",
            f"{tickets['issue_per_s'] / tickets['baseline_per_s']:.2f}",
        ),
        _row(
            "5 tickets",
            "QR PNG render (on demand, ticket page): PNG/s",
            f"{tickets['png_per_s']:.0f}",
            f"{tickets['issue_per_s']:.0f} (issue)",
            f"{tickets['png_per_s'] / tickets['issue_per_s']:.2f}",
        ),
    ]


def registrations_rows(results: dict) -> list[list[str]]:
    registrations = results.get("registrations")
    if not registrations:
        return []
    ratio = registrations["with_per_s"] / registrations["without_per_s"]
    return [
        _row(
            "7 registrations",
            f"registration_create/s, participants linked (median of {registrations['rounds']}"
            f" x {registrations['per_round']})",
            f"{registrations['with_per_s']:.0f}",
            f"{registrations['without_per_s']:.0f} (receiver disconnected)",
            f"{ratio:.2f}",
            ">= 0.90",
            _ok(ratio >= 0.90),
        )
    ]


def reminders_rows(results: dict) -> list[list[str]]:
    reminders = results.get("reminders")
    if not reminders:
        return []
    return [
        _row(
            "4 reminders",
            f"{reminders['messages']:,} due reminders via Celery+Redis: msgs/s",
            f"{reminders['msgs_per_s']:.0f}",
            f"{reminders['noop_per_s']:.0f} (no-op task)",
            f"{reminders['msgs_per_s'] / reminders['noop_per_s']:.2f}",
        ),
        _row(
            "4 reminders",
            "sent exactly once (sent / delivered / duplicates)",
            f"{reminders['sent']} / {reminders['delivered']} / {reminders['duplicates']}",
            "",
            "",
            "all once",
            _ok(
                reminders["sent"] == reminders["messages"] == reminders["delivered"]
                and reminders["duplicates"] == 0
            ),
        ),
        *_breakdown_rows(reminders.get("breakdown"), reminders["noop_per_s"]),
    ]


def _breakdown_rows(breakdown: dict | None, noop_per_s: float) -> list[list[str]]:
    if not breakdown:
        return []
    rows = breakdown["rows"]
    ways = [
        ("plain sends, no outbox", "plain"),
        ("row by row (4 statements a row)", "rowwise"),
        (f"batched ({breakdown['batch']} a batch)", "batched"),
    ]
    return [
        _row(
            "4 reminders",
            f"in-process, {rows:,} rows, {label}: ms per message (SQL statements per message)",
            f"{breakdown[key + '_ms']:.2f} ({breakdown[key + '_queries'] / rows:.2f})",
            f"{1000 / noop_per_s:.2f} ms per no-op task",
        )
        for label, key in ways
    ]


def memory_rows(results: dict) -> list[list[str]]:
    rows = [
        _row(
            "6 memory",
            "gunicorn worker peak RSS (VmHWM)",
            f"{results['http']['web_worker_peak_kib'] / 1024:.0f} MiB",
        )
    ]
    if results.get("reminders"):
        rows.append(
            _row(
                "6 memory",
                "Celery worker peak RSS (VmHWM, largest process)",
                f"{results['reminders']['worker_peak_kib'] / 1024:.0f} MiB",
            )
        )
    return rows


def pss_rows(results: dict) -> list[list[str]]:
    memory = results["memory"]
    services = memory["by_service_kib"]
    total_mib = memory["total_kib"] / 1024
    counts = {
        name: sum(1 for row in memory["processes"] if row["service"] == name) for name in services
    }
    return [
        *(
            _row(
                "6 memory",
                f"PSS of {name} ({counts[name]} process{'es' if counts[name] > 1 else ''})",
                f"{kib / 1024:.0f} MiB",
            )
            for name, kib in services.items()
        ),
        _row(
            "6 memory",
            f"PSS of the application after {memory['figure_pages']} figure pages, "
            f"{sum(memory['scans'].values()):,} scans, {memory['reminders_sent']} reminders",
            f"{total_mib:.0f} MiB",
            "",
            "",
            f"<= {memory['goal_mib']} MiB",
            _ok(total_mib <= memory["goal_mib"]),
        ),
    ]


def scanner_latency_rows(results: dict) -> list[list[str]]:
    latency = results["scanner_latency"]
    camera, typed = latency["camera"], latency["typed"]
    return [
        _row(
            "8 scanner",
            f"QR into the camera to result on screen, CPU {latency['throttle']}x: median / max ms"
            f" (n={camera['n']})",
            f"{camera['median_ms']:.0f} / {camera['max_ms']:.0f}",
            "",
            "",
            "<= 250 / <= 350",
            _ok(camera["median_ms"] <= 250 and camera["max_ms"] <= 350),
        ),
        _row(
            "8 scanner",
            f"typed short code, Enter to result on screen, CPU {latency['throttle']}x: median ms"
            f" (n={typed['n']})",
            f"{typed['median_ms']:.0f}",
            "",
            "",
            "<= 60",
            _ok(typed["median_ms"] <= 60),
        ),
    ]


def receipts_rows(results: dict) -> list[list[str]]:
    receipts = results.get("receipts")
    if not receipts:
        return []
    ratio = receipts["batch_per_s"] / receipts["unknown_per_s"]
    return [
        _row(
            "receipts",
            f"WhatsApp webhook, {receipts['batch']} delivered statuses per POST: receipts/s"
            f" (median of {receipts['rounds']}; {receipts['batch_ms']:.0f} ms per POST)",
            f"{receipts['batch_per_s']:.0f}",
            f"{receipts['unknown_per_s']:.0f} (same POST, unknown ids)",
            f"{ratio:.2f}",
        ),
        _row(
            "receipts",
            "WhatsApp webhook, one status per POST: receipts/s",
            f"{receipts['single_per_s']:.0f}",
            "",
            "",
        ),
    ]


def nodes_rows(results: dict) -> list[list[str]]:
    nodes = results["nodes"]
    storm, reminders = nodes["storm"], nodes["reminders"]
    per_node = " / ".join(
        ",".join(f"{k}={v}" for k, v in sorted(answers.items()))
        for answers in storm["per_node"].values()
    )
    admitted = storm["statuses"].get("admitted", 0)
    return [
        _row(
            "11 two nodes",
            f"same ticket, {storm['scans']} clients over 2 gunicorn nodes: admitted (rows)",
            f"{admitted} ({storm['rows']})",
            f"per node: {per_node}",
            "",
            "exactly 1",
            _ok(admitted == 1 == storm["rows"] and not storm["errors"]),
        ),
        _row(
            "11 two nodes",
            f"{reminders['messages']:,} reminders, 2 Celery workers: sent / delivered /"
            " duplicates (per worker)",
            f"{reminders['sent']} / {reminders['delivered']} / {reminders['duplicates']}",
            ", ".join(f"{k}={v}" for k, v in reminders["per_worker"].items()),
            "",
            "all once",
            _ok(
                reminders["sent"] == reminders["messages"] == reminders["delivered"]
                and reminders["duplicates"] == 0
            ),
        ),
        _row(
            "11 two nodes",
            "reminders drained by 2 workers: msgs/s",
            f"{reminders['msgs_per_s']:.0f}",
            f"{reminders['seconds']:.1f} s",
        ),
    ]


def scale_tests_rows(results: dict) -> list[list[str]]:
    rows = []
    for label, run in (
        ("12 scaling tests", results["scale_tests"]["scaling"]),
        ("12 via PgBouncer", results["scale_tests"]["through_pgbouncer"]),
    ):
        outcomes: dict[str, int] = {}
        for case in run["tests"]:
            outcomes[case["outcome"]] = outcomes.get(case["outcome"], 0) + 1
            if label.endswith("tests"):
                figures = ", ".join(f"{k}={v}" for k, v in case["figures"].items())
                rows.append(
                    _row(
                        label,
                        case["name"],
                        case["outcome"] + (f": {case['reason']}" if case["reason"] else ""),
                        figures,
                        f"{case['seconds']:.0f} s",
                        "passed",
                        _ok(case["outcome"] == "passed"),
                    )
                )
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        failed = [c["name"] for c in run["tests"] if c["outcome"] in ("failed", "error")]
        if failed:
            summary += " (" + "; ".join(failed) + ")"
        rows.append(
            _row(
                label,
                f"pytest exit {run['returncode']}: {run['command'][:90]}",
                summary or "no test ran",
                "",
                f"{run['seconds']:.0f} s",
                "none failed",
                _ok(run["returncode"] == 0 and not {"failed", "error"} & set(outcomes)),
            )
        )
    return rows


HEADER = ["benchmark", "figure", "value", "baseline (same run)", "ratio", "goal", "verdict"]


def table_rows(results: dict) -> list[list[str]]:
    """The rows of the parts that ran (BENCH_ONLY may have left some out)."""
    from .offline_pack import offline_pack_rows
    from .scan_cpu import scan_cpu_rows

    parts = [
        ("http", scan_rows),
        ("scan_cpu", scan_cpu_rows),
        ("offline_pack", offline_pack_rows),
        ("figures", figures_rows),
        ("figures_1m", figures_national_rows),
        ("reminders", reminders_rows),
        ("tickets", tickets_rows),
        ("registrations", registrations_rows),
        ("http", memory_rows),
        ("memory", pss_rows),
        ("scanner_latency", scanner_latency_rows),
        ("receipts", receipts_rows),
        ("nodes", nodes_rows),
        ("scale_tests", scale_tests_rows),
    ]
    return [row for key, rows in parts if key in results for row in rows(results)]


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def print_report(results: dict) -> None:
    rows = table_rows(results)
    widths = [max(len(str(row[i])) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    print()
    for row in [HEADER, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    machine = results["machine"]
    print(
        f"\n{machine['date_utc']} · {machine['nproc']} CPUs ({machine['cpu']}) · "
        f"{machine['memory_gib']} GiB · PostgreSQL {machine['postgresql']} · "
        f"Redis {machine['redis']} · Python {machine['python']} · "
        f"total {results['elapsed_s']:.0f}s"
    )
    if "scan_profile" in results:
        print(f"Scan profile: {results['scan_profile']}")


def save_json(results: dict, path: Path) -> None:
    results = {**results, "table_markdown": markdown_table(table_rows(results))}
    path.write_text(json.dumps(results, indent=2, default=str))
