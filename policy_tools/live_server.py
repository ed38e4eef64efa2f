"""The live preview's server (policy_tools.watch): the folder being served, and the open pages
told when a rebuild is swapped in or failed (Server-Sent Events from /__live/events, the script
/__live/reload.js); every page gets that script added, the offline worker is left out.
"""
from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path
from typing import Any

from policy_tools.serve import SiteHandler

RELOAD_JS = b"""// Live preview only (policy_tools.watch): reload this page when a rebuild has been swapped in;
// show why when a rebuild failed (the page keeps the last good build).
(function () {
  if (window.__policyLive) return;
  window.__policyLive = true;
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/__live/live.css";
  document.head.appendChild(style);
  function showError(message) {
    var box = document.getElementById("policy-live-error");
    if (!message) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "policy-live-error";
      box.setAttribute("role", "alert");
      var title = document.createElement("p");
      title.className = "policy-live-error__title";
      title.textContent = "Not rebuilt: fix this and save. The page still shows the last good build.";
      box.appendChild(title);
      box.appendChild(document.createElement("pre"));
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = message;
  }
  var source = new EventSource("/__live/events");
  var seen = null;
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (seen !== null && state.build !== seen) {
      window.location.reload();
      return;
    }
    seen = state.build;
    showError(state.error);
    // Marks the page as watching (the preview's test waits for it; a page script cannot be
    // evaluated from outside under the site's CSP).
    document.documentElement.setAttribute("data-policy-live", state.error ? "error" : "watching");
  };
})();
"""
# The message's look: its own file, since the site's CSP allows no inline style.
LIVE_CSS = b"""#policy-live-error {
  position: fixed; inset: auto 0 0 0; z-index: 10; max-height: 50vh; overflow: auto;
  margin: 0; padding: 0.8rem 1rem; border-top: 0.3rem solid #b71c1c;
  background: #fff; color: #1a1a1a; font-size: 0.8rem; box-shadow: 0 -0.2rem 0.6rem rgba(0, 0, 0, 0.3);
}
#policy-live-error .policy-live-error__title { margin: 0 0 0.4rem; font-weight: 700; color: #b71c1c; }
#policy-live-error pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.75rem; }
"""
# Replaces a worker the published build (./scripts/build, then policy_tools.serve) registered on
# this address: it would answer reloads from its cache, so the preview lets it remove itself.
NO_WORKER_JS = b"""// Live preview only (policy_tools.watch): no offline copy while editing.
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function () { self.registration.unregister(); });
"""
INJECT = b'<script src="/__live/reload.js"></script>'


class Live:
    """The folder being served, and the state the open pages watch: the build, and the error of
    the last rebuild if it failed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.build_id = str(time.time())
        self.error: str | None = None
        self.changed = threading.Condition()

    def state(self) -> str:
        return json.dumps({"build": self.build_id, "error": self.error})

    def swap(self, root: Path) -> None:
        with self.changed:
            self.root = root
            self.build_id = str(time.time())
            self.error = None
            self.changed.notify_all()

    def fail(self, message: str) -> None:
        with self.changed:
            self.error = message
            self.changed.notify_all()


class LiveHandler(SiteHandler):
    live: Live

    def __init__(self, *args: Any, live: Live, **kwargs: Any) -> None:
        self.live = live
        super().__init__(*args, directory=str(live.root), **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/__live/reload.js":
            self._send(200, "text/javascript", RELOAD_JS)
        elif path == "/__live/live.css":
            self._send(200, "text/css", LIVE_CSS)
        elif path == "/sw.js":
            self._send(200, "text/javascript", NO_WORKER_JS)
        elif path == "/__live/events":
            self._events()
        else:
            # The file itself, never its precompressed copy: a page gets the reload script added.
            target = Path(http.server.SimpleHTTPRequestHandler.translate_path(self, path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and path != "/sitemap.xml":
                body = target.read_bytes().replace(b"</body>", INJECT + b"</body>", 1)
                self._send(200, "text/html; charset=utf-8", body)
            else:
                super().do_GET()

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.content_encoding, self.vary_encoding = None, False  # sent as it is, uncompressed
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        sent = ""
        try:
            while True:
                with self.live.changed:
                    if self.live.state() == sent:
                        self.live.changed.wait(timeout=15)
                    current = self.live.state()
                self.wfile.write(f"data: {current}\n\n".encode() if current != sent else b": keep-alive\n\n")
                self.wfile.flush()
                sent = current
        except (BrokenPipeError, ConnectionResetError):
            return
