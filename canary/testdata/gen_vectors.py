#!/usr/bin/python3
"""Reference values for package canary's per-step power figures, from scipy.

Run with the Debian interpreter (apt-get install python3-scipy):

    /usr/bin/python3 canary/testdata/gen_vectors.py

It writes canary/testdata/vectors.json, which the Go tests read (they never run Python).

For every case (requests per second, step duration, canary weight in percent, alpha, error rates):

  n                 expected requests of the step, rps x duration
  error_rate_power  power of the two-sided pooled two-proportion z-test between the canary
                    (round(n w) requests, error rate `detect`) and the stable (round(n (1-w))
                    requests, error rate `baseline`): normal approximation (Fleiss) with
                    scipy.stats.norm
  exact_power       the same test's true rejection probability, by summing binomial
                    probabilities (scipy.stats.binom) over every outcome: shows how close the
                    approximation is (not expected to agree to more than a few percent)
  deviation_pp      smallest shift of the canary share (percentage points) that the level-alpha
                    Pearson test over n requests detects with power 0.8: lambda* solved with
                    scipy.optimize.brentq on scipy.stats.ncx2.sf, w* = sqrt(lambda*/n),
                    d = w* / sqrt(1/pc + 1/ps)
  duration_s        smallest whole number of seconds T for which the error-rate power with
                    round(rps T w) and round(rps T (1-w)) requests reaches `target`
"""

import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import optimize, stats

HERE = os.path.dirname(os.path.abspath(__file__))


def twoprop_power(n1, n2, p1, p2, alpha):
    if n1 <= 0 or n2 <= 0:
        return 0.0
    z = stats.norm.isf(alpha / 2)
    pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
    s0 = math.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    s1 = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    d = abs(p1 - p2)
    return float(stats.norm.cdf((d - z * s0) / s1) + stats.norm.cdf((-d - z * s0) / s1))


def exact_power(n1, n2, p1, p2, alpha):
    """P(|z| > z_crit) for the pooled z statistic, summed over binomial outcomes."""
    if n1 <= 0 or n2 <= 0:
        return 0.0
    zc = stats.norm.isf(alpha / 2)
    x1 = np.arange(0, n1 + 1)
    x2 = np.arange(0, n2 + 1)
    f1 = stats.binom.pmf(x1, n1, p1)
    f2 = stats.binom.pmf(x2, n2, p2)
    k1, k2 = f1 > 1e-15, f2 > 1e-15
    x1, f1, x2, f2 = x1[k1], f1[k1], x2[k2], f2[k2]
    X1, X2 = np.meshgrid(x1, x2, indexing="ij")
    pb = (X1 + X2) / (n1 + n2)
    se = np.sqrt(pb * (1 - pb) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (X1 / n1 - X2 / n2) / se, 0.0)
    return float((np.outer(f1, f2) * (np.abs(z) > zc)).sum())


def required_lambda(df, alpha, power):
    crit = stats.chi2.isf(alpha, df)
    f = lambda lam: stats.ncx2.sf(crit, df, lam) - power
    hi = 1.0
    while f(hi) < 0:
        hi *= 2
    return optimize.brentq(f, 1e-12, hi, xtol=1e-14, rtol=1e-15, maxiter=500)


def deviation_pp(n, pc, alpha, power=0.8):
    lam = required_lambda(1, alpha, power)
    w = math.sqrt(lam / n)
    return 100 * w / math.sqrt(1 / pc + 1 / (1 - pc))


def duration_s(rps, pc, p1, p2, alpha, target):
    pw = lambda t: twoprop_power(round(rps * t * pc), round(rps * t * (1 - pc)), p1, p2, alpha)
    lo, hi = 0, 1
    while pw(hi) < target:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pw(mid) >= target:
            hi = mid
        else:
            lo = mid
    # The rounding of counts makes the power only nearly monotone: report the first T found by a
    # linear scan below the bisection result if one exists.
    for t in range(max(1, hi - 50), hi):
        if pw(t) >= target:
            return t
    return hi


def main():
    cases = []
    for rps, dur, w, alpha, base, detect, target in [
        # the Argo Rollouts example of scenarios/plans/argo-rollout.yaml at 20 rps
        (20, 600, 5, 0.001, 0.01, 0.02, 0.8),
        (20, 600, 20, 0.001, 0.01, 0.02, 0.8),
        (20, 600, 50, 0.001, 0.01, 0.02, 0.8),
        (20, 600, 5, 0.05, 0.01, 0.02, 0.8),
        (20, 600, 20, 0.05, 0.01, 0.02, 0.8),
        (20, 600, 50, 0.05, 0.01, 0.02, 0.8),
        # the Flagger example at 50 rps, 1m intervals
        (50, 60, 10, 0.001, 0.01, 0.02, 0.8),
        (50, 60, 50, 0.001, 0.01, 0.02, 0.8),
        # others
        (40, 900, 1, 0.001, 0.01, 0.02, 0.8),
        (100, 300, 10, 0.01, 0.001, 0.005, 0.9),
        (5, 3600, 25, 0.05, 0.05, 0.08, 0.95),
    ]:
        n = rps * dur
        pc = w / 100
        n1, n2 = round(n * pc), round(n * (1 - pc))
        cases.append({
            "rps": rps, "duration_s": dur, "weight": w, "alpha": alpha,
            "baseline": base, "detect": detect, "target": target,
            "n": n, "n_canary": n1, "n_stable": n2,
            "error_rate_power": twoprop_power(n1, n2, detect, base, alpha),
            "exact_power": exact_power(n1, n2, detect, base, alpha),
            "deviation_pp": deviation_pp(n, pc, alpha),
            "duration_for_power_s": duration_s(rps, pc, detect, base, alpha, target),
        })
    out = {
        "meta": {"generator": "canary/testdata/gen_vectors.py", "scipy": scipy.__version__, "numpy": np.__version__},
        "cases": cases,
    }
    path = os.path.join(HERE, "vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
