"""Errors raised by the client."""

from __future__ import annotations

from typing import Any


class ProximaError(Exception):
    """The service refused a request: a 4xx answer, with its RFC 7807 problem detail."""

    def __init__(self, status: int, problem: dict[str, Any] | None, method: str = "", path: str = ""):
        self.status = status
        self.problem = problem or {}
        self.title = self.problem.get("title")
        self.detail = self.problem.get("detail")
        self.field = self.problem.get("field")
        parts = [f"{method} {path}".strip() + f" -> {status}"]
        if self.title:
            parts.append(str(self.title))
        if self.detail:
            parts.append(str(self.detail))
        if self.field and (not self.detail or str(self.field) not in str(self.detail)):
            parts.append(f"(field {self.field})")
        errors = self.problem.get("errors")
        if errors:
            parts.append(f"errors: {errors}")
        super().__init__(": ".join(parts))


class ProximaUnavailable(Exception):
    """The service could not be reached (or kept answering 502/503/504) for too long."""
