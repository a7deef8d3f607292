"""How long a volunteer waits at the door: from a QR code entering the camera to the result on
the scanner's screen, and from Enter on a typed short code to the result, in headless Chromium
with its CPU throttled 4x (CDP `Emulation.setCPUThrottlingRate`, a cheap phone's speed) and a
fake camera playing a clip generated here: white frames, then a real ticket's QR code, ticket
after ticket.

    BENCH_ONLY=scanner_latency make bench

The page is served by gunicorn with production settings (collected static files, the vendored
jsQR decoder). Times are taken inside the page with a watcher added before the scanner's own
script: the capture time of the first frame that shows a QR code (one pixel of its finder
pattern read through requestVideoFrameCallback), the keydown of Enter, and the first animation
frame after the result box changes (the result is then painted). Figures only: nothing here
passes or fails a test."""

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import procs
from .fake_camera import FRAME_SIZE, qr_frame, white_luma, y4m_write

FPS = 15
WHITE_S = 1.4  # long enough for the previous result to be on screen before the next code
# White first, while the page does its start-up work (service worker install, ticket pack
# download): the figures are the door's steady state, as after the first minute at a real door.
LEAD_S = 6
QR_S = 0.6
CAMERA_TRIALS = 15  # the first is a warm-up (decoder compiled, camera settled) and is left out
TYPED_TRIALS = 15
THROTTLE = 4
VIEWPORT = {"width": 360, "height": 740}
WAIT_MS = 120_000

WATCHER_JS = """(() => {
  const marks = window.__latency = { onsets: [], results: [], enters: [], answers: [] };
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => {
    if (entry.name.endsWith("/checkin/scan")) marks.answers.push(entry.responseEnd);
  })).observe({ type: "resource", buffered: true });
  const [x, y] = __PIXEL__;
  function watch(video) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let showing = false;
    const step = (now, meta) => {
      context.drawImage(video, x, y, 1, 1, 0, 0, 1, 1);
      const dark = context.getImageData(0, 0, 1, 1).data[0] < 100;
      if (dark && !showing) marks.onsets.push(meta.captureTime || meta.presentationTime || now);
      showing = dark;
      video.requestVideoFrameCallback(step);
    };
    video.requestVideoFrameCallback(step);
  }
  document.addEventListener("DOMContentLoaded", () => {
    const video = document.getElementById("camera");
    video.addEventListener("playing", () => watch(video), { once: true });
    new MutationObserver(() => requestAnimationFrame(() => marks.results.push(performance.now())))
      .observe(document.getElementById("feedback"), { attributes: true, childList: true, subtree: true });
    window.addEventListener("keydown", (event) => {
      if (event.key === "Enter") marks.enters.push(performance.now());
    }, true);
  });
})();"""


def chromium_launch(playwright, video: Path | None):
    arguments = [
        "--no-sandbox",
        "--disable-background-networking",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
    ]
    if video is not None:
        arguments.append(f"--use-file-for-fake-video-capture={video}")
    return playwright.chromium.launch(
        executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=arguments
    )


def scanner_open(browser, *, url: str, raw_token: str, pixel: tuple[int, int]):
    """The scanner logged in, its CPU throttled, scanning the bench session."""
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    context.grant_permissions(["camera"], origin=url)
    page = context.new_page()
    page.add_init_script(WATCHER_JS.replace("__PIXEL__", f"[{pixel[0]}, {pixel[1]}]"))
    page.goto(f"{url}/scan/#token={raw_token}")
    page.wait_for_selector("#setup:not([hidden])", timeout=WAIT_MS)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    page.locator("#start").click()
    page.wait_for_function(
        "() => document.getElementById('camera').readyState >= 2", timeout=WAIT_MS
    )
    page.wait_for_function(
        "() => document.getElementById('pack-info').textContent !== ''", timeout=WAIT_MS
    )
    return page


# jsQR's time on one 640x480 frame holding a ticket's QR code, scaled to each width the way the
# scanner scales a camera frame: what the decode resolution saves on a throttled CPU.
DECODE_WIDTHS = (640, 480, 360)
DECODE_RUNS = 9
DECODE_JS = """([luma, width, height, widths, runs]) => {
  const bytes = Uint8Array.from(atob(luma), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < bytes.length; i++) rgba.fill(bytes[i], i * 4, i * 4 + 3), rgba[i * 4 + 3] = 255;
  const source = document.createElement("canvas");
  source.width = width; source.height = height;
  source.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
  const result = {};
  for (const target of widths) {
    const canvas = document.createElement("canvas");
    canvas.width = target; canvas.height = Math.round(height * target / width);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const times = [];
    let decoded = true;
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      context.drawImage(source, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (run) times.push(performance.now() - started);  // run 0 warms the decoder up
      decoded = decoded && !!code;
    }
    times.sort((a, b) => a - b);
    result[target] = { median_ms: times[Math.floor(times.length / 2)], decoded: decoded };
  }
  return result;
}"""


def decode_times(playwright, *, url: str, secret: str) -> dict:
    import base64

    browser = chromium_launch(playwright, None)
    try:
        page = browser.new_page()
        page.goto(f"{url}/scan/")
        page.wait_for_function("() => !!window.jsQR", timeout=WAIT_MS)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        luma = base64.b64encode(qr_frame(secret).luma).decode()
        return page.evaluate(DECODE_JS, [luma, *FRAME_SIZE, list(DECODE_WIDTHS), DECODE_RUNS])
    finally:
        browser.close()


def trials(marks: dict, starts: list[float]) -> list[dict]:
    """For each start (a QR frame's capture, an Enter), the time to the first result on screen
    after it, and to the scan's answer from the server (the rest is the page's own work)."""
    found = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else float("inf")
        results = [moment for moment in marks["results"] if start < moment < end]
        if not results:
            continue
        answers = [moment for moment in marks["answers"] if start < moment < results[0]]
        found.append(
            {
                "ms": results[0] - start,
                "answer_ms": answers[0] - start if answers else None,
            }
        )
    return found


def camera_latencies(playwright, *, url: str, raw_token: str, secrets: list[str]) -> dict:
    white = white_luma()
    frames, pixel = [white] * (LEAD_S * FPS), None
    for secret in secrets:
        code = qr_frame(secret)
        pixel = code.finder_centre  # the same place for every ticket: same size of code
        frames += [white] * round(WHITE_S * FPS) + [code.luma] * round(QR_S * FPS)
    with tempfile.TemporaryDirectory() as folder:
        clip = Path(folder) / "tickets.y4m"
        y4m_write(clip, frames, fps=FPS)
        browser = chromium_launch(playwright, clip)
        try:
            page = scanner_open(browser, url=url, raw_token=raw_token, pixel=pixel)
            page.wait_for_function(
                f"() => window.__latency.onsets.length >= {len(secrets)}", timeout=WAIT_MS
            )
            page.wait_for_timeout(QR_S * 1000 + 1000)  # the last result
            marks = page.evaluate("window.__latency")
        finally:
            browser.close()
    return trials(marks, marks["onsets"][: len(secrets)])[1:]


def typed_latencies(playwright, *, url: str, raw_token: str, codes: list[str]) -> dict:
    # The fake camera's own test pattern (no QR code): the camera is on, as at a real door.
    browser = chromium_launch(playwright, None)
    try:
        page = scanner_open(browser, url=url, raw_token=raw_token, pixel=(0, 0))
        field = page.locator("#code-input")
        for index, code in enumerate(codes):
            field.fill(code)
            field.press("Enter")
            page.wait_for_function(
                f"() => window.__latency.results.length >= {index + 1}", timeout=WAIT_MS
            )
            page.wait_for_timeout(300)
        marks = page.evaluate("window.__latency")
    finally:
        browser.close()
    return trials(marks, marks["enters"])[1:]


def summary(found: list[dict]) -> dict:
    times = [trial["ms"] for trial in found]
    answers = [trial["answer_ms"] for trial in found if trial["answer_ms"] is not None]
    return {
        "n": len(times),
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "all_ms": times,
        # Start to the server's answer: what the page's own work adds is the rest.
        "answer_median_ms": statistics.median(answers) if answers else None,
    }


def scanner_latency_benchmark(*, event, raw_token: str, port: int, log) -> dict:
    from playwright.sync_api import sync_playwright

    from .data import tickets_bulk_create

    tickets = tickets_bulk_create(
        event=event, count=CAMERA_TRIALS + TYPED_TRIALS, first_index=900_000
    )
    subprocess.run(
        [sys.executable, "manage.py", "vendor_assets"],
        cwd=procs.ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=procs.ROOT,
        check=True,
    )
    server = procs.gunicorn_start(port=port)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            log(f"scanner: {CAMERA_TRIALS} tickets in front of the fake camera, CPU 4x throttled")
            camera = camera_latencies(
                playwright,
                url=url,
                raw_token=raw_token,
                secrets=[ticket.secret for ticket in tickets[:CAMERA_TRIALS]],
            )
            log(f"scanner: {TYPED_TRIALS} typed short codes, CPU 4x throttled")
            typed = typed_latencies(
                playwright,
                url=url,
                raw_token=raw_token,
                codes=[ticket.short_code for ticket in tickets[CAMERA_TRIALS:]],
            )
            log("scanner: jsQR's time on one frame at each decode width, CPU 4x throttled")
            decode = decode_times(playwright, url=url, secret=tickets[0].secret)
    finally:
        procs.stop(server)
    results = {
        "decode": decode,
        "camera": summary(camera),
        "typed": summary(typed),
        "frame": f"{FRAME_SIZE[0]}x{FRAME_SIZE[1]} at {FPS} fps",
        "throttle": THROTTLE,
    }
    for name in ("camera", "typed"):
        figures = results[name]
        log(
            f"scanner {name}: median {figures['median_ms']:.0f} ms, max {figures['max_ms']:.0f} ms "
            f"(n={figures['n']}; answer from the server at a median of "
            f"{figures['answer_median_ms']:.0f} ms): {', '.join(f'{ms:.0f}' for ms in figures['all_ms'])}"
        )
    log(
        "scanner jsQR per frame: "
        + ", ".join(
            f"{width} px {figures['median_ms']:.0f} ms"
            + ("" if figures["decoded"] else " (NOT DECODED)")
            for width, figures in decode.items()
        )
    )
    return results
