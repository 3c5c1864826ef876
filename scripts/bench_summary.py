#!/usr/bin/env python3
"""The targets of docs/BENCHMARKS.md against one run of scripts/bench.sh.

    .bench/venv/bin/python scripts/bench_summary.py bench-results/<time>/

Reads the JSON files bench.sh wrote (train-<env>-<threads>.json from scripts/bench_external.py,
act.json from scripts/bench_act.py) and prints, per environment and thread count, Proxima's
figures as ratios to SB3's from the same run: env-steps/s (the median over seeds, and the range
of the seed-by-seed ratios), seconds and steps to the target, and then /act's latencies and
throughput against FastAPI's. Each line says whether its target is met. Standard library only.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

# The least Proxima/SB3 env-steps/s ratio that meets each environment's target. CartPole's
# time-to-target target, "at most 1/3 of SB3's seconds", is checked in training().
SPEED_TARGETS = {"CartPole-v1": 3.0, "MountainCarContinuous-v0": 2.0, "Pendulum-v1": 2.0}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec=",.0f"):
    return "n/a" if x is None else format(x, spec)


def training(path: Path) -> list[str]:
    data = json.loads(path.read_text())
    env = data["env"]
    threads = path.stem.rsplit("-", 1)[1]
    runs = [r for r in data["runs"] if r["ok"]]
    proxima = [r for r in runs if r["kind"] == "builtin"]
    sb3 = [r for r in runs if r["kind"] == "sb3"]
    lines = [f"### {env}, {threads} thread(s): {len(proxima)} Proxima and {len(sb3)} SB3 runs"]
    if not proxima or not sb3:
        return lines + ["not enough runs to compare"]
    p_sps, s_sps = median([r["steps_per_second"] for r in proxima]), median([r["steps_per_second"] for r in sb3])
    by_seed = {r["seed"]: r for r in sb3}
    pairs = [r["steps_per_second"] / by_seed[r["seed"]]["steps_per_second"] for r in proxima if r["seed"] in by_seed]
    speed = p_sps / s_sps
    target = SPEED_TARGETS.get(env)
    verdict = "" if target is None else f" (target >= {target:g}x: {'met' if speed >= target else 'NOT met'})"
    lines.append(f"- env-steps/s: Proxima {fmt(p_sps)}, SB3 {fmt(s_sps)}: {speed:.2f}x{verdict}; "
                 f"seed by seed {min(pairs):.2f}x to {max(pairs):.2f}x")
    goal = data["target"]
    p_reached = [r for r in proxima if r["target_steps"] is not None]
    s_reached = [r for r in sb3 if r["target_steps"] is not None]
    if p_reached and s_reached:
        p_secs, s_secs = median([r["target_seconds"] for r in p_reached]), median([r["target_seconds"] for r in s_reached])
        line = f"- seconds to {goal:g}: Proxima {fmt(p_secs, '.1f')}, SB3 {fmt(s_secs, '.1f')}: SB3/Proxima {s_secs / p_secs:.2f}x"
        if env == "CartPole-v1":
            line += f" (target >= 3x: {'met' if s_secs / p_secs >= 3 else 'NOT met'})"
        lines.append(line)
        p_steps = sorted(r["target_steps"] for r in p_reached)
        s_steps = sorted(r["target_steps"] for r in s_reached)
        within = statistics.median(p_steps) <= s_steps[-1]
        lines.append(f"- steps to {goal:g}: Proxima {fmt(p_steps[0])}-{fmt(p_steps[-1])} "
                     f"(reached {len(p_reached)} of {len(proxima)}), SB3 {fmt(s_steps[0])}-{fmt(s_steps[-1])} "
                     f"(reached {len(s_reached)} of {len(sb3)}); Proxima's median no more than SB3's most: "
                     f"{'yes' if within else 'NO'}")
    else:
        lines.append(f"- target {goal:g} reached by {len(p_reached)} Proxima and {len(s_reached)} SB3 runs")
    lines.append(f"- final ep_rew_mean: Proxima {fmt(median([r['final_ep_rew_mean'] for r in proxima]), '.1f')}, "
                 f"SB3 {fmt(median([r['final_ep_rew_mean'] for r in sb3]), '.1f')} (medians)")
    return lines


def act(path: Path) -> list[str]:
    data = json.loads(path.read_text())
    lines = ["### /act under load (scripts/bench_act.py)"]
    for run in data.get("measured", []):
        latency = run["latency_us"]
        lines.append(f"- {run['side']}, {run['connections']} connection(s): p50 {latency['p50'] / 1000:.3f} ms, "
                     f"p90 {latency['p90'] / 1000:.3f} ms, p99 {latency['p99'] / 1000:.3f} ms, "
                     f"{run['rps']:,.0f} requests/s")
    for target in data.get("targets", []):
        met = {True: "met", False: "NOT met", None: "n/a"}[target.get("met")]
        lines.append(f"- {target['target']}: {target['value']} ({met}){' ' + target['note'] if target.get('note') else ''}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = Path(argv[1])
    print("## Targets, this run")
    for path in sorted(folder.glob("train-*.json")):
        print("\n".join(training(path)))
    if (folder / "act.json").exists():
        print("\n".join(act(folder / "act.json")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
