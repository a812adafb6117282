#!/usr/bin/env bash
# Runs splitsim's engine benchmarks and, where numpy is installed (Debian's python3-numpy), numpy's
# vectorised equivalent, in one run on this machine, and prints every figure as a ratio; then
# bench/readers.sh measures verify's readers against awk, grep and promtool on generated files, and
# bench/lint.sh splitsim lint against Istio's analyzers.
# Usage: bench/run.sh            (COUNT=N sets the repetitions per benchmark, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
go test -run '^$' -bench 'Floor$|Pick/|PerRequestHeader|PerRequestMixed|RunCores|RunMultinomialTrillion' \
  -count "$count" ./sim/ | tee "$raw" >&2
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  /usr/bin/python3 bench/numpy_choice.py | tee -a "$raw" >&2
else
  echo "numpy not installed (apt-get install python3-numpy): numpy ratios skipped" >&2
fi
# Median ns per request of each benchmark (the ns/request metric, else ns/op), then the ratios.
awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name); v = ""
    for (i = 2; i < NF; i++) if ($(i+1) == "ns/request") v = $i
    if (v == "") for (i = 2; i < NF; i++) if ($(i+1) == "ns/op") v = $i
    vals[name] = vals[name] " " v
  }
  /^numpy_choice_/ { vals[$1] = " " $2 }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (k in vals) m[k] = median(vals[k])
    floor = m["BenchmarkFloor"]
    printf "\nmedian of %s runs, ns per request (ratio)\n", "'"$count"'"
    printf "  floor: random draw + table lookup        %7.3f\n", floor
    split("2 5 16 50 100", d, " ")
    for (i = 1; i <= 5; i++) {
      k = "BenchmarkPick/dests=" d[i]
      printf "  pick, %3d destinations                   %7.3f  (%.2fx floor)\n", d[i], m[k], m[k] / floor
    }
    h = m["BenchmarkPerRequestHeader"]
    printf "  per request, header match + 2-way split %7.3f  (%.2fx floor)\n", h, h / floor
    printf "  per request, 4 classes (header/prefix/regex/catch-all) %7.3f\n", m["BenchmarkPerRequestMixed"]
    if ("numpy_choice_2" in m) {
      printf "  numpy Generator.choice, 2 destinations  %7.3f  (splitsim per request = %.3f of numpy)\n", m["numpy_choice_2"], h / m["numpy_choice_2"]
      printf "  numpy Generator.choice, 100 destinations %6.3f\n", m["numpy_choice_100"]
    }
    w1 = m["BenchmarkRunCores/workers=1"]; w2 = m["BenchmarkRunCores/workers=2"]
    printf "  runner, 1 core / 2 cores                 %7.3f / %.3f  (speed-up %.2fx)\n", w1, w2, w1 / w2
    printf "  10^12 requests, multinomial method       %.1f microseconds per run\n", m["BenchmarkRunMultinomialTrillion"] / 1000
  }' "$raw"

# The readers of splitsim verify against awk, grep and promtool on generated files (SKIP_READERS=1
# leaves them out).
if [ "${SKIP_READERS:-0}" != 1 ]; then
  bench/readers.sh
fi

# splitsim lint against Istio's analyzers on generated files (SKIP_LINT=1 leaves it out).
if [ "${SKIP_LINT:-0}" != 1 ]; then
  bench/lint.sh
fi
