"""HTTP to the service: one keep-alive session, retries, problem details.

Retry policy (see :meth:`Transport.request`):

* connection errors, read timeouts, 502/503/504: retry the *same* request with exponential
  backoff (``initial_backoff`` doubling up to ``max_backoff``, or the server's ``Retry-After``
  if longer) until the service has been unreachable for ``max_retry_seconds``, then raise
  :class:`ProximaUnavailable`. This is what carries a runner through a service restart.
* 202 (a runner step that is still waiting): sleep ``Retry-After`` and send the same body
  again, for as long as the service keeps answering 202; it is alive and asking us to wait.
* every other status is returned to the caller, which decides (404/410 mean something to a
  runner); :func:`raise_for_problem` turns a 4xx/5xx into :class:`ProximaError`.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import time
from typing import Any, Callable
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from .errors import ProximaError, ProximaUnavailable

log = logging.getLogger("proxima_client")

RETRYABLE_STATUS = frozenset({502, 503, 504})


def _problem(resp: requests.Response) -> dict[str, Any] | None:
    try:
        body = resp.json()
    except ValueError:
        text = resp.text.strip()
        return {"detail": text[:500]} if text else None
    return body if isinstance(body, dict) else {"detail": str(body)}


def raise_for_problem(resp: requests.Response, method: str = "", path: str = "") -> None:
    """Raise :class:`ProximaError` (with the problem's detail) for a 4xx or 5xx answer."""
    if resp.status_code >= 400:
        raise ProximaError(resp.status_code, _problem(resp), method, path)


def retry_after_seconds(resp: requests.Response, default: float = 1.0) -> float:
    """``Retry-After`` in seconds (or the body's ``retryAfterSeconds``), never negative."""
    value = resp.headers.get("Retry-After")
    if value is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass  # an HTTP date: not something this service sends
    try:
        body = resp.json()
        if isinstance(body, dict) and body.get("retryAfterSeconds") is not None:
            return max(0.0, float(body["retryAfterSeconds"]))
    except ValueError:
        pass
    return default


def _fast_session(url: str) -> requests.Session:
    """A session that reads the proxy and CA settings from the environment once, not per request.

    requests scans ``os.environ`` for proxies on every call (``trust_env``): about 0.1 ms a
    request, on the runner's hot path.
    """
    s = requests.Session()
    s.proxies.update(requests.utils.get_environ_proxies(url))
    s.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    s.trust_env = False
    return s


class _Response:
    """The part of :class:`requests.Response` the client reads, for :class:`_DirectConnection`."""

    def __init__(self, status: int, headers: list[tuple[str, str]], content: bytes):
        self.status_code = status
        self.headers = CaseInsensitiveDict(headers)
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class _DirectConnection:
    """One keep-alive ``http.client`` connection to a plain-http service without a proxy.

    requests costs about 0.5 ms a call on top of http.client (measured against this service);
    on the runner's hot path that is a sixth of a CartPole vector step. Failures surface as
    :class:`requests.ConnectionError` or :class:`requests.Timeout`, so the retry policy is the same.
    """

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> _Response:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, target, body=body, headers=headers)
            r = self.conn.getresponse()
            content = r.read()
        except TimeoutError as e:
            self.close()
            raise requests.Timeout(str(e)) from e
        except (OSError, http.client.HTTPException) as e:
            # as requests without retries: the transport's backoff decides what comes next
            self.close()
            raise requests.ConnectionError(str(e)) from e
        if r.will_close:
            self.close()
        return _Response(r.status, r.getheaders(), content)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Transport:
    """A base URL, a :class:`requests.Session` and the retry policy above.

    ``sleep`` and ``clock`` can be replaced (tests use a fake clock to check the backoff).
    """

    def __init__(self, url: str, *, token: str | None = None, max_retry_seconds: float = 600.0,
                 initial_backoff: float = 0.5, max_backoff: float = 10.0,
                 timeout: tuple[float, float] = (10.0, 60.0), session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        base = requests.PreparedRequest()
        base.prepare_url(url.rstrip("/"), None)  # normalised once; paths are appended as is
        self.url = base.url.rstrip("/")
        # an API key for the service's /api operations unless told otherwise; runners set their job's token
        self.token = token if token is not None else os.environ.get("PROXIMA_API_KEY")
        self.max_retry_seconds = max_retry_seconds
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.session = session or _fast_session(self.url)
        parts = urlsplit(self.url)
        self._direct = None
        self._base_path = parts.path
        if session is None and parts.scheme == "http" and not self.session.proxies:
            self._direct = _DirectConnection(parts.hostname, parts.port or 80, max(timeout))
        self.sleep = sleep
        self.clock = clock
        self.retries = 0  # requests re-sent after a failure (not counting 202s)
        self.waits = 0  # 202 answers waited out

    def close(self) -> None:
        if self._direct is not None:
            self._direct.close()
        self.session.close()

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"Accept": "application/json, application/problem+json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if extra:
            h.update(extra)
        return h

    def _prepare(self, method: str, path: str, data: bytes | None,
                 headers: dict[str, str] | None) -> requests.PreparedRequest:
        """A request built by hand. ``Session.request`` re-parses the URL and merges settings on
        every call, which costs about as much as stepping and encoding 8 CartPoles. Every retry
        sends this same prepared request, so the bytes are the same."""
        p = requests.PreparedRequest()
        p.method = method
        p.url = self.url + path
        h = CaseInsensitiveDict(self.session.headers)
        h.update(self.headers(headers))
        if data is not None:
            h["Content-Type"] = "application/json"
            h["Content-Length"] = str(len(data))
        elif method in ("POST", "PUT", "PATCH"):
            h["Content-Length"] = "0"
        p.headers = h
        p.body = data
        return p

    def request(self, method: str, path: str, body: Any = None, *, data: bytes | None = None,
                headers: dict[str, str] | None = None, retry: bool = True, wait_on_202: bool = False,
                timeout: tuple[float, float] | None = None) -> requests.Response:
        """Send a request (``body`` as JSON, or pre-encoded ``data``) with the retry policy.

        The body is encoded once, so every retry sends exactly the same bytes.
        """
        if data is None and body is not None:
            data = json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
        prepared = self._prepare(method, path, data, headers)
        url = prepared.url
        direct_headers = dict(prepared.headers) if self._direct is not None else None
        backoff = self.initial_backoff
        down_since: float | None = None
        while True:
            failure: str
            wait: float | None = None
            try:
                if direct_headers is not None:
                    resp = self._direct.send(method, self._base_path + path, data, direct_headers)
                else:
                    resp = self.session.send(prepared, timeout=timeout or self.timeout, proxies=self.session.proxies,
                                             verify=self.session.verify, stream=False)
            except (requests.ConnectionError, requests.Timeout) as e:
                # ConnectionError covers refused/reset connections and broken chunked bodies.
                failure = f"{type(e).__name__}: {e}"
            else:
                if resp.status_code == 202 and wait_on_202:
                    down_since, backoff = None, self.initial_backoff
                    self.waits += 1
                    self.sleep(retry_after_seconds(resp))
                    continue
                if resp.status_code not in RETRYABLE_STATUS:
                    return resp
                failure = f"HTTP {resp.status_code}"
                if "Retry-After" in resp.headers:
                    wait = retry_after_seconds(resp)
            if not retry:
                if failure.startswith("HTTP"):
                    return resp
                raise ProximaUnavailable(f"{method} {url}: {failure}")
            now = self.clock()
            if down_since is None:
                down_since = now
            elapsed = now - down_since
            if elapsed >= self.max_retry_seconds:
                raise ProximaUnavailable(
                    f"{method} {url}: service unavailable for {elapsed:.0f} s (last: {failure}); giving up")
            delay = min(max(backoff, wait or 0.0), self.max_backoff, max(0.0, self.max_retry_seconds - elapsed))
            log.warning("%s %s failed (%s); retrying in %.1f s", method, path, failure, delay)
            self.retries += 1
            self.sleep(delay)
            backoff = min(backoff * 2, self.max_backoff)

    def json(self, method: str, path: str, body: Any = None, *, expect: tuple[int, ...] = (200, 201),
             **kwargs) -> Any:
        """Send and return the parsed JSON answer; any other status than ``expect`` raises."""
        resp = self.request(method, path, body, **kwargs)
        if resp.status_code not in expect:
            raise_for_problem(resp, method, path)
            raise ProximaError(resp.status_code, _problem(resp), method, path)
        return resp.json() if resp.content else None
