#!/usr/bin/env bash
# Proxima beside Stable-Baselines3 on this machine, in one command: training through the service
# as a user runs it (the packaged jar, the default configuration, the H2 file database in a fresh
# working directory) at equal cores, then /act under load beside SB3's policy behind FastAPI.
#
#   SB3_SOURCE=/path/to/stable-baselines3 scripts/bench.sh        # all of it, about 75 minutes
#   BENCH_QUICK=1 scripts/bench.sh                                 # 3 seeds, CartPole and /act only
#
# Equal cores: "1 thread" runs the service with proxima.jobs.training-threads=1 and SB3 with
# torch.set_num_threads(1), each process pinned to core 0 (taskset -c 0); "2 threads" gives both
# two threads and both cores. Seeds alternate Proxima and SB3, so drift hurts both alike.
#
# Writes everything it prints, and each part's JSON, under bench-results/<UTC time>/, and ends
# with scripts/bench_summary.py's table of ratios against the targets.
#
# Environment: SB3_SOURCE (a stable-baselines3 checkout for scripts/bench-venv.sh; never
# downloaded), BENCH_SEEDS (default 1,2,3,4,5), BENCH_THREADS (default "1 2"), BENCH_ENVS
# (default "CartPole-v1 MountainCarContinuous-v0 Pendulum-v1"; the last two at 1 thread only,
# 3 seeds), BENCH_PORT (default 18090), BENCH_SKIP_ACT=1, BENCH_QUICK=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seeds=${BENCH_SEEDS:-1,2,3,4,5}
threads=${BENCH_THREADS:-1 2}
envs=${BENCH_ENVS:-CartPole-v1 MountainCarContinuous-v0 Pendulum-v1}
if [ -n "${BENCH_QUICK:-}" ]; then
    seeds=${BENCH_SEEDS:-1,2,3}
    envs=${BENCH_ENVS:-CartPole-v1}
fi
port=${BENCH_PORT:-18090}
out="$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
exec > >(tee "$out/output.txt") 2>&1

venv=.bench/venv
if ! "$venv/bin/python" -c 'import stable_baselines3, fastapi, uvicorn' 2>/dev/null; then
    scripts/bench-venv.sh
fi
python="$root/$venv/bin/python"

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB"
echo "== commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
echo "== building the jar"
./mvnw -B -q -DskipTests package
jar=$(ls "$root"/target/proxima-*.jar | grep -v original | head -1)

# the services this script starts take this admin key, and the Python benchmarks send it
export PROXIMA_ADMIN_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export PROXIMA_API_KEY="$PROXIMA_ADMIN_KEY"

service_pid=
stop_service() {
    if [ -n "$service_pid" ]; then
        kill "$service_pid" 2>/dev/null || true
        wait "$service_pid" 2>/dev/null || true
        service_pid=
    fi
}
trap stop_service EXIT

# start_service CPUS THREADS: the jar in a fresh working directory (its ./data is the database)
start_service() {
    local dir
    dir=$(mktemp -d)
    (cd "$dir" && exec taskset -c "$1" java -jar "$jar" --server.port="$port" \
        --proxima.jobs.training-threads="$2" > "$dir/service.log" 2>&1) &
    service_pid=$!
    for _ in $(seq 120); do
        if curl -sf -H "Authorization: Bearer $PROXIMA_API_KEY" "localhost:$port/api/environments" > /dev/null; then
            echo "== service up on cores $1, training-threads $2 (pid $service_pid, working directory $dir)"
            return
        fi
        sleep 1
    done
    echo "the service did not start; its log:"; cat "$dir/service.log"; exit 1
}

for t in $threads; do
    cpus=$([ "$t" = 1 ] && echo 0 || echo 0-$(($(nproc) - 1)))
    start_service "$cpus" "$t"
    for env in $envs; do
        env_seeds=$seeds
        if [ "$env" != CartPole-v1 ]; then
            [ "$t" = 1 ] || continue
            env_seeds=$(echo "$seeds" | cut -d, -f1-3)
        fi
        echo "== $env, $t thread(s), seeds $env_seeds"
        taskset -c "$cpus" "$python" scripts/bench_external.py --url "http://localhost:$port" --env "$env" \
            --seeds "$env_seeds" --sb3-threads "$t" --skip-external --progress-interval 0 \
            --json "$out/train-$env-$t.json" || echo "(some runs failed: see above)"
    done
    stop_service
done

if [ -z "${BENCH_SKIP_ACT:-}" ]; then
    start_service "0-$(($(nproc) - 1))" 2
    echo "== /act under load"
    "$python" scripts/bench_act.py --url "http://localhost:$port" --submit --pid "$service_pid" \
        --json "$out/act.json" || echo "(the /act benchmark failed: see above)"
    stop_service
fi

echo
"$python" scripts/bench_summary.py "$out"
echo "== written to $out"
