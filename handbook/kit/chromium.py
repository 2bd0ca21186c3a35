"""Headless Debian chromium with no network, driven over the DevTools protocol on a pipe.

`--remote-debugging-pipe` makes chromium read commands from fd 3 and write replies and events
to fd 4, NUL-separated JSON: no port, no websocket package. Every start gets a fresh profile,
and name resolution and the proxy point nowhere, so a page cannot reach the network even if it
tried; `record_requests` lists every request a page makes, in every frame and worker.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from handbook.errors import HandbookError

NAMES = ("chromium", "chromium-browser")
INSTALL = "Debian: apt-get install chromium"

FLAGS = [
    "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    # no network: every name resolves to nothing and the proxy is a closed local port
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
]


def find() -> str | None:
    """The chromium executable ($HANDBOOK_CHROMIUM first), or None."""
    if os.environ.get("HANDBOOK_CHROMIUM"):
        return shutil.which(os.environ["HANDBOOK_CHROMIUM"])
    return next(filter(None, map(shutil.which, NAMES)), None)


class Browser:
    """One headless chromium; `with Browser() as b:` starts it and always stops it."""

    def __init__(self, binary: str | None = None, *, size: tuple[int, int] = (1280, 900), record_requests: bool = False,
                 loopback: bool = False):
        self.binary = binary or find()
        if self.binary is None:
            raise HandbookError("chromium", None, f"chromium is not installed ({INSTALL})")
        self.size = size
        self.record = record_requests
        self.loopback = loopback  # let 127.0.0.1 through, for a site served by the test itself
        self.requests: list[str] = []  # every URL a page asked for, when record_requests
        self.events: list[dict] = []
        self._next = 0
        self._buffer = b""

    # --- process --------------------------------------------------------------------------

    def __enter__(self) -> Browser:
        self.profile = tempfile.mkdtemp(prefix="handbook-chromium-")
        to_child, self._out = high_pipe()
        self._in, from_child = high_pipe()
        flags = list(FLAGS)
        if self.loopback:
            flags = [f for f in flags if not f.startswith(("--proxy-bypass-list", "--host-resolver-rules"))]
            flags.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        flags = [*flags, f"--user-data-dir={self.profile}", f"--window-size={self.size[0]},{self.size[1]}",
                 "--remote-debugging-pipe"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # chromium refuses to run as root with its sandbox

        def child_fds():
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.process = subprocess.Popen([self.binary, *flags, "about:blank"], preexec_fn=child_fds, pass_fds=(3, 4),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._ours: set[str] = set()  # sessions of the tabs we opened and their frames and workers
        return self

    def __exit__(self, *_) -> None:
        try:
            self._send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._out)
            os.close(self._in)
            shutil.rmtree(self.profile, ignore_errors=True)

    # --- protocol ---------------------------------------------------------------------------

    def _send(self, method: str, session: str | None = None, **params) -> int:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._out, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise self._died() from None
        return self._next

    def _died(self) -> HandbookError:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        return HandbookError(self.binary, None, f"chromium exited unexpectedly (exit status {code})")

    def _read(self, timeout: float) -> dict | None:
        """The next message, or None after `timeout` seconds without one."""
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._in], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise self._died()
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message:
            self._event(message)
        return message

    def _event(self, event: dict) -> None:
        self.events.append(event)
        params = event.get("params", {})
        if event.get("sessionId") not in self._ours:
            return
        if event["method"] == "Target.attachedToTarget":
            # a frame or worker of our tab, paused before it runs: watch it too, then let it run
            self._watch(params["sessionId"])
            self._send("Runtime.runIfWaitingForDebugger", params["sessionId"])
        elif event["method"] == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])

    def _watch(self, session: str) -> None:
        self._ours.add(session)
        if self.record:
            self._send("Network.enable", session)
        self._send("Target.setAutoAttach", session, autoAttach=True, waitForDebuggerOnStart=True, flatten=True)

    def call(self, method: str, session: str | None = None, timeout: float = 60, **params) -> dict:
        """Send one command and return its result; events read meanwhile are kept."""
        wanted = self._send(method, session, **params)
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            message = self._read(left)
            if message and message.get("id") == wanted:
                if "error" in message:
                    raise HandbookError(self.binary, None, f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
        raise HandbookError(self.binary, None, f"{method}: no answer from chromium in {timeout:.0f} s")

    def settle(self, seconds: float) -> None:
        """Read events for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._read(left)

    # --- pages ------------------------------------------------------------------------------

    def open(self, url: str, timeout: float = 60) -> str:
        """Open `url` in a new tab and wait for its load event; returns the tab's session."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self._watch(session)
        self.call("Page.enable", session)
        self.navigate(session, url, timeout)
        return session

    def navigate(self, session: str, url: str, timeout: float = 60) -> None:
        seen = len(self.events)
        self.call("Page.navigate", session, url=url)
        self.wait_event("Page.loadEventFired", session, timeout, since=seen)

    def wait_event(self, method: str, session: str | None, timeout: float, since: int = 0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            since = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0:
                raise HandbookError(self.binary, None, f"no {method} within {timeout:.0f} s")
            self._read(left)

    def evaluate(self, session: str, expression: str):
        """The value of a JavaScript expression in the tab (promises awaited)."""
        result = self.call("Runtime.evaluate", session, expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise HandbookError(self.binary, None, f"{expression!r} failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, session: str, expression: str, timeout: float = 30):
        """Evaluate `expression` until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(session, expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise HandbookError(self.binary, None, f"{expression!r} still false after {timeout:.0f} s")
            self.settle(0.1)

    def pdf(self, session: str, path: Path, timeout: float = 600, **options) -> None:
        """Print the tab to `path` (Page.printToPDF options), streamed in chunks."""
        stream = self.call("Page.printToPDF", session, timeout, transferMode="ReturnAsStream", **options)["stream"]
        with open(path, "wb") as out:
            while True:
                chunk = self.call("IO.read", session, timeout, handle=stream, size=1 << 20)
                out.write(base64.b64decode(chunk["data"]) if chunk.get("base64Encoded") else chunk["data"].encode())
                if chunk.get("eof"):
                    break
        self.call("IO.close", session, handle=stream)

    def screenshot(self, session: str, path: Path) -> None:
        Path(path).write_bytes(base64.b64decode(self.call("Page.captureScreenshot", session, format="png")["data"]))


def high_pipe() -> tuple[int, int]:
    """A pipe whose ends are above fd 4, so moving them onto fds 3 and 4 in the child cannot clash."""
    low = os.pipe()
    high = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in low)
    for fd in low:
        os.close(fd)
    return high
