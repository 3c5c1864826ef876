#!/usr/bin/env python3
"""Does the service keep what its API reported when it is killed with kill -9?

Runs the packaged jar on an H2 file database in a scratch directory, submits a CartPole job,
polls GET /api/jobs/{id}/checkpoints and the metrics, kills the process (SIGKILL) the moment a
new checkpoint is listed, restarts it and compares what the API lists then with what it listed
before the kill. Prints one line per try and exits non-zero if any acknowledged checkpoint or
metric row was lost.

    ./mvnw -B -q package -DskipTests
    python3 scripts/kill_after_checkpoint.py --jar target/proxima-0.1.0-SNAPSHOT.jar --tries 5
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

JOB = {
    "environment": {"id": "CartPole-v1", "numEnvs": 8},
    "totalTimesteps": 1_000_000,
    "seed": 42,
    "checkpointEvery": 1,
    "hyperparameters": {"learningRate": 0.001, "nSteps": 32, "batchSize": 256, "nEpochs": 20,
                        "gamma": 0.98, "gaeLambda": 0.8},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the bootstrap admin key of the services this script starts
ADMIN_KEY = os.environ.get("PROXIMA_ADMIN_KEY") or "kill-after-checkpoint-admin-key"


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {ADMIN_KEY}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def start(jar, directory, port, extra):
    log = open(os.path.join(directory, "service.log"), "ab")
    # the default configuration: the H2 file under ./data of the working directory
    command = ["java", "-Xmx1g", "-jar", jar, f"--server.port={port}"]
    if extra:
        command.append(f"--spring.datasource.url={extra}")
    process = subprocess.Popen(command,
                               cwd=directory, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "OMP_NUM_THREADS": "1", "PROXIMA_ADMIN_KEY": ADMIN_KEY})
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            call(port, "GET", "/api/environments")
            return process
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError("the service did not start")


def listed(port, job_id):
    checkpoints = [c["iteration"] for c in call(port, "GET", f"/api/jobs/{job_id}/checkpoints")["checkpoints"]]
    points = call(port, "GET", f"/api/jobs/{job_id}/metrics?afterIteration=0&limit=1000")["points"]
    return checkpoints, points


def one_try(jar, kill_after, extra):
    directory = tempfile.mkdtemp(prefix="proxima-kill-")
    try:
        port = free_port()
        process = start(jar, directory, port, extra)
        job_id = call(port, "POST", "/api/jobs", JOB)["id"]
        seen = 0
        while True:
            checkpoints, points = listed(port, job_id)
            newest = max(checkpoints, default=0)
            if newest > seen:
                seen = newest
                if newest >= kill_after:
                    break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process = start(jar, directory, port, extra)
        # the job resumes at once: read before it can write (or delete) anything new
        call(port, "POST", f"/api/jobs/{job_id}/cancel")
        after_checkpoints, after_points = listed(port, job_id)
        process.kill()
        process.wait()
        lost_checkpoint = newest not in after_checkpoints and newest > max(after_checkpoints, default=0)
        before_rows = {p["iteration"]: p for p in points}
        after_rows = {p["iteration"]: p for p in after_points}
        # rows up to the newest listed checkpoint are what a resume keeps
        lost_rows = [i for i in before_rows if i <= newest and after_rows.get(i) != before_rows[i]]
        print(f"before kill: checkpoint {newest}, metrics to {max(before_rows, default=0)}; "
              f"after restart: checkpoint {max(after_checkpoints, default=0)}, "
              f"metrics to {max(after_rows, default=0)}; "
              f"{'LOST' if lost_checkpoint or lost_rows else 'kept'}")
        return not (lost_checkpoint or lost_rows)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default="target/proxima-0.1.0-SNAPSHOT.jar")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--datasource-url", default="",
                        help="instead of the default, e.g. 'jdbc:h2:file:./data/proxima;WRITE_DELAY=500'")
    arguments = parser.parse_args()
    jar = os.path.abspath(arguments.jar)
    results = [one_try(jar, 5 + 10 * i, arguments.datasource_url) for i in range(arguments.tries)]
    print(f"{sum(results)} of {len(results)} tries kept everything the API had listed")
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
