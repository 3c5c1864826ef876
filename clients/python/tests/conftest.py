import pytest

from fake_proxima import FakeProxima


@pytest.fixture
def fake():
    with FakeProxima() as f:
        yield f
