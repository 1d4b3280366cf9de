#!/usr/bin/env python3
"""Screenshots of Hawtio's Camel views for whatsapp-queue, taken by headless Chromium.

Drives chromedriver through the W3C WebDriver HTTP API with the standard library only (no Selenium).

Prerequisites (see docs/observability.md, "Hawtio"):
  * whatsapp-queue running with Jolokia on http://127.0.0.1:18081/observe/jolokia
  * Hawtio 2.17.7 standalone on http://127.0.0.1:18090/hawtio/ started with
    -Dhawtio.proxyAllowlist=127.0.0.1,localhost (it proxies the browser's Jolokia calls)
  * Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)

Run from the repository root:
  python3 docs/hawtio/screenshot.py            # writes docs/images/hawtio-*.png
Environment overrides: HAWTIO_URL, JOLOKIA_HOST, JOLOKIA_PORT, JOLOKIA_PATH, CAMEL_CONTEXT, ROUTE_ID,
OUT_DIR, CHROMEDRIVER_PORT.

It adds a Hawtio connection named "whatsapp-queue" the way Hawtio 2's "Connect" tab does (a JSON array
in localStorage["jvmConnect"]), opens Hawtio with ?con=whatsapp-queue, selects the Camel context's
"Routes" folder in the tree, and saves:
  hawtio-camel-routes.png   the Camel plugin's route table (route ids, state, exchange counts)
  hawtio-route-diagram.png  the route diagram of ROUTE_ID (default reply-send), its step ids in the tree
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HAWTIO = os.environ.get("HAWTIO_URL", "http://127.0.0.1:18090/hawtio/")
JHOST = os.environ.get("JOLOKIA_HOST", "127.0.0.1")
JPORT = int(os.environ.get("JOLOKIA_PORT", "18081"))
JPATH = os.environ.get("JOLOKIA_PATH", "/observe/jolokia")
CONTEXT = os.environ.get("CAMEL_CONTEXT", "whatsapp-queue")
ROUTE = os.environ.get("ROUTE_ID", "reply-send")
OUT = os.environ.get("OUT_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images"))
DRIVER_PORT = int(os.environ.get("CHROMEDRIVER_PORT", "19515"))
CONN = "whatsapp-queue"
WD = f"http://127.0.0.1:{DRIVER_PORT}"


def call(method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(WD + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
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
                         "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1600,1000"],
            }}}}
        self.sid = call("POST", "/session", caps)["sessionId"]

    def go(self, url):
        call("POST", f"/session/{self.sid}/url", {"url": url})

    def js(self, script, *args):
        return call("POST", f"/session/{self.sid}/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, script, what, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if self.js(script):
                return True
            time.sleep(1)
        print(f"timed out waiting for {what}", file=sys.stderr)
        return False

    def shot(self, name):
        png = base64.b64decode(call("GET", f"/session/{self.sid}/screenshot"))
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(png)
        print("wrote", os.path.normpath(path), len(png), "bytes")

    def quit(self):
        call("DELETE", f"/session/{self.sid}")


# A node of Hawtio's tree (patternfly treeview) by its exact label.
FIND_NODE = ("const node = (label) => Array.from(document.querySelectorAll('li.list-group-item'))"
             ".find(e => e.textContent.trim() === label);\n")


def text(b, after):
    body = b.js("return document.body.innerText")
    return body[body.find(after):][:1200].replace("\n", " | ")


def main():
    os.makedirs(OUT, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="hawtio-chromium-")
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
        b = Browser(profile)

        # 1. Hawtio 2 keeps its remote connections in localStorage["jvmConnect"] (JVM plugin, Connect tab).
        b.go(HAWTIO)
        b.wait_for("return document.readyState === 'complete'", "Hawtio page")
        conn = {"name": CONN, "scheme": "http", "host": JHOST, "port": JPORT, "path": JPATH,
                "useProxy": True, "jolokiaUrl": None, "userName": "", "password": "", "reachable": True}
        b.js("localStorage.setItem('jvmConnect', arguments[0]);", json.dumps([conn]))

        # 2. Open the connection; Hawtio then talks to /hawtio/proxy/http/<host>/<port><path>.
        b.go(f"{HAWTIO}?con={CONN}#!/camel/contexts")
        b.wait_for(FIND_NODE + "return !!node(arguments[0]);".replace("arguments[0]", "'routes'"), "Camel tree", 90)
        time.sleep(2)

        # 3. Select the context's "routes" folder: the Camel route table.
        b.js(FIND_NODE + "node('routes').click();")
        b.wait_for("return document.body.innerText.includes('Mean time') && "
                   "document.body.innerText.includes('" + ROUTE + "')", "route table", 60)
        time.sleep(4)  # let the statistics poll fill in
        b.shot("hawtio-camel-routes.png")
        print("page text (routes):", text(b, "Routes"))

        # 4. Select ROUTE in the tree, expand it (its processors appear under their step ids) and open
        #    the "Route Diagram" tab.
        b.js(FIND_NODE + "node(arguments[0]).click();", ROUTE)
        time.sleep(2)
        b.js(FIND_NODE + "const n = node(arguments[0]); const t = n.querySelector('.expand-icon');"
             " if (t) t.click();", ROUTE)
        time.sleep(1)
        b.js("const a = Array.from(document.querySelectorAll('a')).find(e => e.textContent.trim() === 'Route Diagram');"
             " if (a) a.click();")
        b.wait_for("return document.body.innerText.includes('From ')", "route diagram", 60)
        # A long route is scaled down to the window height: a taller window keeps its labels readable.
        call("POST", f"/session/{b.sid}/window/rect", {"width": 1600, "height": 2200})
        time.sleep(5)
        b.shot("hawtio-route-diagram.png")
        print("page text (diagram):", text(b, "Route Diagram"))
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


if __name__ == "__main__":
    main()
