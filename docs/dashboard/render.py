#!/usr/bin/env python3
"""Render every panel of the Grafana dashboard in Prometheus's own graph UI, with live data.

No Grafana was available where this was written, so each panel's exact PromQL (from
docker/grafana/whatsapp-queue-dashboard.json) is opened in Prometheus's classic graph page
(/classic/graph, Prometheus 2.x) and screenshotted by headless Chromium, driven through chromedriver's
W3C WebDriver HTTP API with the Python standard library only (same approach as
docs/hawtio/screenshot.py). See docs/dashboard/README.md for the results.

Sub-commands (run from the repository root):

  python3 docs/dashboard/render.py ai-stub
      A tiny OpenAI-compatible chat API on 127.0.0.1:18482 (POST /v1/chat/completions) that answers
      after 0.1-1.5 s, and about 1 call in 12 after 2.5 s. Point the app at it with
      AI_BASE_URL=http://127.0.0.1:18482/v1 so wa_ai_duration_seconds (the "AI latency" panel) has
      data; without AI_BASE_URL the built-in knowledge responder answers and that histogram stays empty.

  python3 docs/dashboard/render.py traffic [--seconds 180] [--app-log /tmp/dash/app.log]
      Bounded load against the sandbox app on 127.0.0.1:18480 (it stops by itself):
        * POST /sandbox/inbound with patient questions, 1-4 per second, with three bursts of
          40 messages in ~2 s so the send stream backs up (WA_TOKENS_PER_SECOND=5);
        * every ~12 s a webhook with bad JSON or an invalid event (outcomes invalid_json /
          invalid_event, counted under instance="unknown");
        * three poison entries (XADD wa:demo:stream * payload 'not json' with redis-cli on the
          embedded Redis port read from the app log), which the send route dead-letters.

  python3 docs/dashboard/render.py shoot [--out docs/images] [--range 5m] [--end 'YYYY-MM-DD HH:MM:SS']
      One 1400x700 screenshot per dashboard panel (docs/images/dashboard-<panel-slug>.png) and one
      of Prometheus's Alerts page (dashboard-alerts.png); "Webhook outcomes" also with the
      instance variable on All (.*), as dashboard-webhook-outcomes-all.png. $instance is replaced with demo
      (DASH_INSTANCE) and $__rate_interval with 1m (DASH_RATE_INTERVAL). A panel with several
      queries is drawn as ONE graph, like Grafana does: each query, unchanged, is wrapped in
      label_replace(<query>, "query", "<Grafana legend>", "", "") and the queries are joined with
      `or`, so each series is named after the panel's legend (p50/p95/p99, failed/dead-lettered).
      --end (UTC) fixes the graphed window's end, e.g. 40 s after the traffic stopped (`traffic`
      prints the command); default now. Also prints each query's maximum over the window (HTTP API).

Whole run, as done for the docs (all on loopback; see README.md):

  mkdir -p /tmp/dash/data /tmp/dash/prom && cp target/whatsapp-queue.jar /tmp/dash/app.jar
  python3 docs/dashboard/render.py ai-stub &
  PORT=18480 MANAGEMENT_PORT=18481 WA_BIND_HOST=127.0.0.1 WA_DATA_DIR=/tmp/dash/data \\
    WA_TOKENS_PER_SECOND=5 WA_SEND_DELAY_MS=0 AI_BASE_URL=http://127.0.0.1:18482/v1 AI_API_KEY=stub \\
    java -jar /tmp/dash/app.jar > /tmp/dash/app.log 2>&1 &
  prometheus --config.file=docs/dashboard/prometheus-local.yml --storage.tsdb.path=/tmp/dash/prom \\
    --web.listen-address=127.0.0.1:19090 &
  python3 docs/dashboard/render.py traffic --app-log /tmp/dash/app.log
  python3 docs/dashboard/render.py shoot --range 4m --end '<as printed by traffic>'
  # then stop the three background processes by their pids and rm -rf /tmp/dash

Environment overrides: APP_URL (http://127.0.0.1:18480), PROM_URL (http://127.0.0.1:19090),
DASHBOARD (docker/grafana/whatsapp-queue-dashboard.json), DASH_INSTANCE, DASH_RATE_INTERVAL,
CHROMEDRIVER_PORT (19516), AI_STUB_PORT (18482).
"""
import argparse
import base64
import calendar
import http.server
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
APP = os.environ.get("APP_URL", "http://127.0.0.1:18480")
PROM = os.environ.get("PROM_URL", "http://127.0.0.1:19090")
DASHBOARD = os.environ.get("DASHBOARD", os.path.join(ROOT, "docker", "grafana", "whatsapp-queue-dashboard.json"))
INSTANCE = os.environ.get("DASH_INSTANCE", "demo")
RATE_INTERVAL = os.environ.get("DASH_RATE_INTERVAL", "1m")
DRIVER_PORT = int(os.environ.get("CHROMEDRIVER_PORT", "19516"))
AI_STUB_PORT = int(os.environ.get("AI_STUB_PORT", "18482"))
WD = f"http://127.0.0.1:{DRIVER_PORT}"
WIDTH, HEIGHT = 1400, 700

QUESTIONS = [
    "What are your opening hours?", "How much is a checkup?", "How much is a blood test?",
    "Where are you?", "How do I book an appointment?", "Do you accept health insurance?",
    "Are you open on Saturday?", "What does physiotherapy cost?", "Can I bring my child for a health check?",
    "Hello", "Thanks!", "What is your phone number?", "Do you do travel vaccinations?",
]


# ----------------------------------------------------------------------------------------- ai-stub
class _AiStub(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server naming
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        time.sleep(2.5 if random.random() < 1 / 12 else random.uniform(0.1, 1.5))
        question = next((m.get("content", "") for m in reversed(body.get("messages", []))
                         if m.get("role") == "user"), "")
        answer = (f"(stub AI) Thanks for asking \"{str(question)[:60]}\". Riverside Family Clinic is open "
                  "Monday to Friday 08:00-18:30; call +44 20 7946 0000 to book.")
        out = json.dumps({
            "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "stub"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def ai_stub(_args):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", AI_STUB_PORT), _AiStub)
    print(f"AI stub on http://127.0.0.1:{AI_STUB_PORT}/v1", flush=True)
    srv.serve_forever()


# ----------------------------------------------------------------------------------------- traffic
def post(url, body, timeout=30):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError as e:
        return f"error {e}"


def inbound():
    return post(f"{APP}/sandbox/inbound", {"instance": INSTANCE, "from": f"4477009{random.randint(0, 99999):05d}",
                                           "text": random.choice(QUESTIONS)})


def redis_port(app_log):
    with open(app_log, encoding="utf-8", errors="replace") as f:
        m = re.search(r"Embedded Redis 7 started on 127\.0\.0\.1:(\d+)", f.read())
    if not m:
        sys.exit(f"no 'Embedded Redis 7 started on 127.0.0.1:<port>' line in {app_log}")
    return m.group(1)


def traffic(args):
    port = redis_port(args.app_log)
    stats = {}
    lock = threading.Lock()

    def count(kind, status):
        with lock:
            stats[(kind, status)] = stats.get((kind, status), 0) + 1

    def burst(n):
        threads = [threading.Thread(target=lambda: count("inbound", inbound())) for _ in range(n)]
        for t in threads:
            t.start()
            time.sleep(2.0 / n)
        for t in threads:
            t.join()

    start = time.time()
    print(f'traffic starts {utc(start)} UTC', flush=True)
    bursts = {int(args.seconds * f) for f in (0.2, 0.5, 0.8)}
    poison = {int(args.seconds * f) for f in (0.3, 0.55, 0.75)}
    tick = 0
    while tick < args.seconds:
        rate = 1 + (tick // 20) % 4          # 1, 2, 3, 4 per second, repeating every 80 s
        if tick in bursts:
            threading.Thread(target=burst, args=(40,), daemon=True).start()
        for _ in range(rate):
            threading.Thread(target=lambda: count("inbound", inbound()), daemon=True).start()
        if tick % 12 == 5:
            bad = b'{"event":"messages.upsert", not json' if tick % 24 == 5 else b'{"event":"messages.upsert"}'
            count("webhook-bad", post(f"{APP}/webhooks/evolution", bad))
        if tick in poison:
            out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", port, "XADD", f"wa:{INSTANCE}:stream",
                                  "*", "payload", "not json"], capture_output=True, text=True)
            count("poison", out.stdout.strip() and "xadd-ok")
        tick += 1
        time.sleep(max(0.0, start + tick - time.time()))
        if tick % 30 == 0:
            print(f"{tick:4d}s  {dict(sorted((f'{k}:{s}', v) for (k, s), v in stats.items()))}", flush=True)
    time.sleep(3)
    print("done:", dict(sorted((f"{k}:{s}", v) for (k, s), v in stats.items())))
    print(f"traffic ran {utc(start)} - {utc(time.time())} UTC; to frame it:\n"
          f"  python3 docs/dashboard/render.py shoot --range 4m --end '{utc(time.time() + 40)}'")


# ----------------------------------------------------------------------------------------- shoot
def call(method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(WD + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}").get("value")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None


class Browser:
    def __init__(self, profile):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                         f"--window-size={WIDTH},{HEIGHT}"],
            }}}}
        self.sid = call("POST", "/session", caps)["sessionId"]
        # --window-size is the outer size: grow the window by the browser chrome so the page gets 1400x700.
        call("POST", f"/session/{self.sid}/window/rect", {"width": WIDTH, "height": HEIGHT})
        dw, dh = self.js("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]")
        call("POST", f"/session/{self.sid}/window/rect", {"width": WIDTH + dw, "height": HEIGHT + dh})

    def go(self, url):
        call("POST", f"/session/{self.sid}/url", {"url": url})

    def js(self, script, *args):
        return call("POST", f"/session/{self.sid}/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, script, what, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.js(script):
                return True
            time.sleep(0.5)
        print(f"  timed out waiting for {what}", file=sys.stderr)
        return False

    def shot(self, path):
        png = base64.b64decode(call("GET", f"/session/{self.sid}/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        print("  wrote", os.path.relpath(path, ROOT), len(png), "bytes")

    def quit(self):
        call("DELETE", f"/session/{self.sid}")


def slug(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


# Panels also rendered with the Grafana variable on "All" (its allValue .*): webhook requests that fail
# before an instance is known (invalid_json, invalid_event) are counted under instance="unknown".
ALSO_ALL = {"Webhook outcomes"}


def substitute(expr, instance=INSTANCE):
    return expr.replace("$__rate_interval", RATE_INTERVAL).replace("$instance", instance)


def legend_label(legend):
    """Grafana legend '{{instance}} p95' -> 'p95' (the instance is already a label)."""
    return re.sub(r"\{\{\s*\w+\s*\}\}", "", legend or "").strip()


def panels():
    with open(DASHBOARD, encoding="utf-8") as f:
        dash = json.load(f)
    out = []
    todo = [(p, INSTANCE, "") for p in dash["panels"]] + \
        [(p, ".*", "-all") for p in dash["panels"] if p.get("title") in ALSO_ALL]
    for p, instance, suffix in todo:
        if p.get("type") == "row":
            continue
        targets = [(substitute(t["expr"], instance), legend_label(t.get("legendFormat"))) for t in p.get("targets", [])]
        if len(targets) == 1:
            expr = targets[0][0]
        else:
            expr = "\nor ".join(f'label_replace({e}, "query", "{lg}", "", "")' for e, lg in targets)
        out.append({"title": p["title"] + (" (instance: All)" if suffix else ""), "slug": slug(p["title"]) + suffix, "type": p.get("type"),
                    "unit": p.get("fieldConfig", {}).get("defaults", {}).get("unit", ""),
                    "targets": targets, "expr": expr})
    return out


def prom_query(expr, at=None):
    params = {"query": expr} if at is None else {"query": expr, "time": str(at)}
    url = f"{PROM}/api/v1/query?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())["data"]["result"]


# The classic (Bootstrap/jQuery) UI draws the range query with rickshaw: an SVG path per series
# in .rickshaw_graph and one legend line per series in .rickshaw_legend; or a "no data" alert.
GRAPH_READY = ("return !!document.querySelector('.rickshaw_graph svg path') || "
               "/No datapoints found|Empty query result/.test(document.body.innerText)")

# Fit expression, graph and legend into 1400x700: hide the fixed navbar, the "Enable query history"
# row and the Execute row, drop the horizontal scrollbar, grow the expression box to its text, zoom
# out if needed and scroll the expression to the top.
COMPACT = """
const hide = (e) => { if (e) e.style.display = 'none'; };
hide(document.querySelector('nav'));
const hist = Array.from(document.querySelectorAll('label, span')).find(e => e.textContent.trim() === 'Enable query history');
if (hist) hide(hist.closest('.row') || hist.parentElement);
const exec = Array.from(document.querySelectorAll('button, input')).find(e => (e.textContent || e.value || '').trim() === 'Execute');
if (exec) hide(exec.closest('.row') || exec.parentElement);
document.body.style.paddingTop = '0';
document.documentElement.style.overflowX = 'hidden';
document.body.style.overflowX = 'hidden';
const ta = document.querySelector('textarea');
ta.style.height = (ta.scrollHeight + 4) + 'px';            // show the whole expression
const top = ta.getBoundingClientRect().top + window.scrollY - 10;
const legend = document.querySelector('.rickshaw_legend') || document.querySelector('.graph');
const bottom = legend ? legend.getBoundingClientRect().bottom + window.scrollY + 10 : top + 700;
const zoom = Math.min(1, 700 / (bottom - top));           // shrink the page if it is still taller than 700
document.body.style.zoom = zoom;
window.scrollTo(0, top * zoom);
return zoom;
"""


def utc(ts):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts))


def parse_utc(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def classic_prefix():
    """Prometheus 2.x serves the classic UI under /classic when it also has the React UI; Debian's
    build ships only the classic UI and redirects /graph to /classic/graph."""
    req = urllib.request.Request(f"{PROM}/classic/graph")
    try:
        urllib.request.urlopen(req, timeout=5)
        return "/classic"
    except urllib.error.HTTPError:
        return ""


def shoot(args):
    os.makedirs(args.out, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="dash-chromium-")
    driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={DRIVER_PORT}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    b = None
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(WD + "/status", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        ui = classic_prefix()
        b = Browser(profile)
        end = parse_utc(args.end) if args.end else time.time()
        print(f"window: {args.range} until {utc(end)} UTC")
        for p in panels():
            print(f"{p['title']}:")
            for e, lg in p["targets"]:
                res = prom_query(f"max_over_time(({e})[{args.range}:])", end)
                vals = ", ".join(f"{r['metric'].get('instance', '')} {lg} max {float(r['value'][1]):.4g}" for r in res)
                print(f"    over the window: {vals or 'no series'}")
            q = {"g0.expr": p["expr"], "g0.tab": "0", "g0.stacked": "0", "g0.show_exemplars": "0",
                 "g0.range_input": args.range}
            if args.end:
                q["g0.end_input"] = args.end
            b.go(f"{PROM}{ui}/graph?{urllib.parse.urlencode(q)}")
            b.wait_for(GRAPH_READY, p["title"])
            time.sleep(1.5)
            print(f"    page zoom {b.js(COMPACT):.2f}")
            time.sleep(0.5)
            b.shot(os.path.join(args.out, f"dashboard-{p['slug']}.png"))

        print("Alerts page:")
        b.go(f"{PROM}{ui}/alerts")
        b.wait_for("return document.body.innerText.includes('WaQueueDepthHigh')", "alerts page")
        time.sleep(1)
        # Expand the firing groups (the classic UI lists each rule as a collapsed header).
        b.js("document.querySelectorAll('.alert-danger, .alert-warning').forEach(e => e.click());")
        time.sleep(1)
        b.shot(os.path.join(args.out, "dashboard-alerts.png"))
        print("  ", b.js("return document.body.innerText")[:600].replace("\n", " | "))
    finally:
        if b:
            try:
                b.quit()
            except Exception as e:  # noqa: BLE001 - best effort clean-up
                print("quit:", e, file=sys.stderr)
        driver.terminate()
        try:
            driver.wait(10)
        except subprocess.TimeoutExpired:
            driver.kill()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("ai-stub").set_defaults(fn=ai_stub)
    t = sub.add_parser("traffic")
    t.add_argument("--seconds", type=int, default=180)
    t.add_argument("--app-log", default="/tmp/dash/app.log")
    t.set_defaults(fn=traffic)
    s = sub.add_parser("shoot")
    s.add_argument("--out", default=os.path.join(ROOT, "docs", "images"))
    s.add_argument("--range", default="5m")
    s.add_argument("--end", help='end of the graphed window, UTC "YYYY-MM-DD HH:MM:SS" (default: now); '
                                 '`traffic` prints a suggestion')
    s.set_defaults(fn=shoot)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
