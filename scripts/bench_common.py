"""What the benchmark scripts (bench_external.py, bench_act.py) both print: the machine and the
versions of what ran. Standard library only."""

from __future__ import annotations

import importlib.metadata
import os
import platform


def machine_line(with_load: bool = False) -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    load = ", load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) if with_load else ""
    return f"{cpu}, {os.cpu_count()} cores{load}, Python {platform.python_version()}"


def versions(names: list[str]) -> str:
    out = []
    for name in names:
        try:
            out.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return ", ".join(out)
