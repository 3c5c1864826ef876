"""The transport's direct http.client path: used for plain http without a proxy, and equivalent."""

from proxima_client.transport import Transport


def test_plain_http_goes_direct_and_https_or_a_proxy_through_requests(monkeypatch):
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    assert Transport("http://localhost:8080")._direct is not None
    assert Transport("https://proxima.example")._direct is None
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert Transport("http://proxima.example:8080")._direct is None


def test_the_direct_path_reads_status_headers_and_problems(fake):
    t = Transport(fake.url, max_retry_seconds=0)
    assert t._direct is not None
    resp = t.request("GET", "/api/jobs/00000000-0000-0000-0000-000000000000", retry=False)
    assert resp.status_code == 404
    assert resp.headers.get("content-type", "").startswith("application/")
    assert isinstance(resp.json(), dict)
