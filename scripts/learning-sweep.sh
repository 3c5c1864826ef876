#!/usr/bin/env bash
# Every learning test (JUnit tag "learning"), for several seeds, under two BLAS settings: the
# Haswell kernels (OPENBLAS_CORETYPE=Haswell) and whatever OpenBLAS picks for this CPU by itself
# (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset). A seeded run is bit-reproducible only on one
# kernel, so a bar that holds here for every seed under both holds on any x86-64 machine.
#
#   scripts/learning-sweep.sh              # seeds 0,1,2,3,4
#   scripts/learning-sweep.sh 0,1,2,3,4,5,6
#
# Prints what each run reached and the surefire totals per setting; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-0,1,2,3,4}"
logs="target/learning-sweep"
mkdir -p "$logs"
status=0
for setting in Haswell unset; do
    log="$logs/$setting.log"
    if [ "$setting" = unset ]; then
        blas=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
    else
        blas=(env OPENBLAS_CORETYPE="$setting")
    fi
    echo "== OPENBLAS_CORETYPE=$setting, seeds $seeds"
    # two test JVMs at once: each trains on one thread
    "${blas[@]}" ./mvnw -B test -Dgroups=learning -Dproxima.learning.seeds="$seeds" -DforkCount=2 \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || status=1
    grep -hE '^[A-Za-z0-9 /_.()-]+ seed [0-9]+: ' "$log" target/surefire-reports/*-output.txt 2>/dev/null | sort -u
    grep -E 'Tests run:.*Fail|FAIL|BUILD' "$log" | grep -vE ' -- in ' | tail -5
done
exit "$status"
