"""How slow the offline pack's short-code hash is, on the server and in Chromium.

    python -m bench.offline_hash          (or BENCH_ONLY=offline_hash make bench)

Prints: one `hashlib.pbkdf2_hmac` call at the configured iterations (median of several, one
core), the same hash through WebCrypto in headless Chromium unthrottled and with CDP CPU
throttling at 4x (what a cheap phone's lookup of one typed code costs), and the arithmetic of
enumerating all 2^40 codes of one pack at 1,000 times the speed of one core here. Figures only:
nothing here passes or fails a test."""

import hashlib
import os
import secrets
import statistics
import time

CODE_SPACE = 32**8  # 8 Crockford base-32 characters = 2^40
ATTACKER_SPEEDUP = 1_000
YEAR_S = 3.15e7
RUNS = 9

# The same calls as offline.js's pbkdf2(): import the code as a key, derive 256 bits.
PAGE_JS = """async ([salt, iterations, runs]) => {
  const encoder = new TextEncoder();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const key = await crypto.subtle.importKey(
      "raw", encoder.encode("K7M2Q9X" + i), "PBKDF2", false, ["deriveBits"]);
    await crypto.subtle.deriveBits(
      {name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(salt), iterations: iterations},
      key, 256);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def configured_iterations() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    return settings.OFFLINE_CODE_HASH_ITERATIONS


def server_times(iterations: int, salt: str) -> list[float]:
    times = []
    for i in range(RUNS):
        started = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", f"K7M2Q9X{i}".encode(), salt.encode(), iterations, 32)
        times.append((time.perf_counter() - started) * 1000)
    return times


def chromium_times(iterations: int, salt: str) -> dict[int, list[float]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox"],
        )
        try:
            page = browser.new_page()
            # WebCrypto needs a secure context: serve a blank page on an https URL.
            page.route(
                "https://bench.invalid/",
                lambda route: route.fulfill(body="<html></html>", content_type="text/html"),
            )
            page.goto("https://bench.invalid/")
            cdp = page.context.new_cdp_session(page)
            for rate in (1, 4):
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                page.evaluate(PAGE_JS, [salt, iterations, 1])  # warm-up
                results[rate] = page.evaluate(PAGE_JS, [salt, iterations, RUNS])
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        finally:
            browser.close()
    return results


def describe(times: list[float]) -> str:
    return f"median {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f})"


def main() -> dict:
    iterations = configured_iterations()
    salt = secrets.token_hex(16)
    server = server_times(iterations, salt)
    print(f"PBKDF2-HMAC-SHA256, {iterations:,} iterations, salt of 16 random bytes (hex)")
    print(f"server, hashlib.pbkdf2_hmac, one core: {describe(server)}")
    browser = chromium_times(iterations, salt)
    print(f"Chromium WebCrypto deriveBits, unthrottled: {describe(browser[1])}")
    print(f"Chromium WebCrypto deriveBits, CPU throttled 4x (CDP): {describe(browser[4])}")
    # The attacker's per-hash time: the fastest single-core figure measured here (either side).
    fastest_ms = min(min(server), min(browser[1]))
    years = CODE_SPACE * fastest_ms / 1000 / ATTACKER_SPEEDUP / YEAR_S
    print(
        f"enumeration: 2^40 = {CODE_SPACE:,} codes x {fastest_ms:.1f} ms (fastest one-core hash) "
        f"/ {ATTACKER_SPEEDUP:,} = {CODE_SPACE * fastest_ms / 1000 / ATTACKER_SPEEDUP:.3g} s "
        f"= {years:.2f} years (goal > 1 year, i.e. > {YEAR_S * ATTACKER_SPEEDUP / CODE_SPACE * 1000:.1f} ms per hash)"
    )
    return {
        "iterations": iterations,
        "server_ms": server,
        "chromium_ms": browser[1],
        "chromium_4x_ms": browser[4],
        "enumeration_years": years,
    }


if __name__ == "__main__":
    main()
