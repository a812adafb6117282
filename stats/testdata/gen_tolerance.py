#!/usr/bin/python3
"""Reference values for stats.ToleranceTest (issue 19): the exact test of
"the share is off by more than tol".

Run with the Debian interpreter (python3-scipy, python3-mpmath):

    /usr/bin/python3 stats/testdata/gen_tolerance.py

It writes tolerance.json beside this script. The Go tests only read the JSON.

Definition (independent of the Go code, brute force over every outcome):
band [a, b] = [max(0, p-tol), min(1, p+tol)];
e(y) = min(P_b(X >= y), P_a(X <= y));
p(x) = max over pi in [a, b] of P_pi(e(X) <= e(x) (1 + 1e-7)).
The maximum over pi is taken over a grid of 401 shares of the band plus its
ends, so the reference does not assume that the maximum is at an end.

"cases": p-values, mpmath at 40 digits for n <= 400 (deep tails included),
scipy (log tails, numpy) for larger n.
"sizes": the exact probability that the test rejects at alpha when the true
share is at an end of the band (k = 2: one destination and its complement),
summed over every outcome with scipy; it must be at most alpha.
"""

import json
import math
import os
import sys

import mpmath as mp
import numpy as np
import scipy
from scipy import stats as ss

mp.mp.dps = 40
HERE = os.path.dirname(os.path.abspath(__file__))
REL = math.log1p(1e-7)


def band(p, tol):
    return max(0.0, p - tol), min(1.0, p + tol)


def mp_pvalue(x, n, p, tol):
    """log p(x) with mpmath, brute force."""
    a, b = band(p, tol)
    a, b = mp.mpf(a), mp.mpf(b)

    def pmf(y, pi):
        if pi == 0:
            return mp.mpf(1) if y == 0 else mp.mpf(0)
        if pi == 1:
            return mp.mpf(1) if y == n else mp.mpf(0)
        return mp.binomial(n, y) * pi**y * (1 - pi) ** (n - y)

    pb = [pmf(y, b) for y in range(n + 1)]
    pa = [pmf(y, a) for y in range(n + 1)]
    up = [mp.fsum(pb[y:]) for y in range(n + 1)]
    lo = [mp.fsum(pa[: y + 1]) for y in range(n + 1)]
    e = [min(up[y], lo[y]) for y in range(n + 1)]
    thr = e[x] * (1 + mp.mpf("1e-7"))
    region = [y for y in range(n + 1) if e[y] <= thr]
    best = mp.mpf(0)
    for i in range(401):
        pi = a + (b - a) * i / 400
        best = max(best, mp.fsum(pmf(y, pi) for y in region))
    best = min(best, mp.mpf(1))
    if best == 0:
        return None
    return float(mp.log(best))


def logtails(n, pi):
    """(log P(X >= y), log P(X <= y)) for y = 0..n."""
    y = np.arange(n + 1)
    if pi <= 0:
        up = np.where(y == 0, 0.0, -np.inf)
        lo = np.zeros(n + 1)
        return up, lo
    if pi >= 1:
        up = np.zeros(n + 1)
        lo = np.where(y == n, 0.0, -np.inf)
        return up, lo
    d = ss.binom(n, pi)
    return d.logsf(y - 1), d.logcdf(y)


def logpmf(n, pi):
    y = np.arange(n + 1)
    if pi <= 0:
        return np.where(y == 0, 0.0, -np.inf)
    if pi >= 1:
        return np.where(y == n, 0.0, -np.inf)
    return ss.binom(n, pi).logpmf(y)


def all_pvalues(n, p, tol, grid=401):
    """log p(y) for every y = 0..n (scipy), max over a grid of the band."""
    a, b = band(p, tol)
    upb, _ = logtails(n, b)
    _, loa = logtails(n, a)
    e = np.minimum(upb, loa)
    order = np.argsort(e, kind="stable")
    es = e[order]
    # For each y, the region is every z with e(z) <= e(y) + REL: a prefix of the sorted order.
    cut = np.searchsorted(es, e + REL, side="right")
    best = np.full(n + 1, -np.inf)
    for pi in np.concatenate(([a, b], np.linspace(a, b, grid))):
        lp = logpmf(n, pi)[order]
        m = np.max(lp)
        if not np.isfinite(m):
            continue
        c = np.concatenate(([0.0], np.cumsum(np.exp(lp - m))))
        with np.errstate(divide="ignore"):
            mass = np.log(c[cut]) + m
        best = np.maximum(best, mass)
    return np.minimum(best, 0.0)


def main():
    cases = []
    small = [
        (1, 6, 0.01, 0.001),  # verify --weights 99,1 --counts 5,1 --tolerance 0.1
        (5, 6, 0.99, 0.001),
        (0, 10, 0.5, 0.0),
        (7, 10, 0.5, 0.0),
        (10, 10, 0.5, 0.1),
        (3, 40, 0.2, 0.05),
        (20, 40, 0.2, 0.05),
        (0, 100, 0.01, 0.005),
        (9, 100, 0.01, 0.005),
        (100, 100, 0.01, 0.01),
        (60, 200, 0.25, 0.02),
        (0, 400, 0.6, 0.1),
        (400, 400, 0.3, 0.05),
        (180, 400, 0.5, 0.01),
        (230, 400, 0.5, 0.03),
        (1, 5, 0.0, 0.01),
        (0, 5, 1.0, 0.1),
    ]
    for x, n, p, tol in small:
        lp = mp_pvalue(x, n, p, tol)
        cases.append({"x": x, "n": n, "p": p, "tol": tol, "log_p": lp, "ref": "mpmath"})
    large = [
        (5030, 10000, 0.5, 0.001),
        (5300, 10000, 0.5, 0.01),
        (712, 1000, 0.7, 0.001),
        (80120, 100000, 0.8, 0.01),
        (805, 1000, 0.8, 0.001),
        (101000, 1000000, 0.1, 0.0005),
        (99000, 1000000, 0.1, 0.0005),
        (520000, 1000000, 0.5, 0.005),
    ]
    for x, n, p, tol in large:
        lp = float(all_pvalues(n, p, tol, grid=41)[x])
        cases.append({"x": x, "n": n, "p": p, "tol": tol, "log_p": lp, "ref": "scipy"})

    sizes = []
    for n in [5, 10, 30, 100, 1000, 10000, 100000, 1000000]:
        for p in [0.5, 0.7, 0.9, 0.99]:
            for tol in [0.001, 0.01, 0.05]:
                grid = 21 if n >= 100000 else 101
                lps = all_pvalues(n, p, tol, grid=grid)
                a, b = band(p, tol)
                for alpha in [0.05, 0.001]:
                    rej = lps <= math.log(alpha)
                    size = 0.0
                    for pi in (a, b):
                        lp = logpmf(n, pi)
                        size = max(size, float(np.sum(np.exp(lp[rej]))))
                    sizes.append({"n": n, "p": p, "tol": tol, "alpha": alpha, "size": size})
                print(n, p, tol, file=sys.stderr)

    out = {
        "meta": {
            "generator": "stats/testdata/gen_tolerance.py",
            "scipy": scipy.__version__,
            "mpmath": mp.__version__,
            "numpy": np.__version__,
        },
        "cases": cases,
        "sizes": sizes,
    }
    path = os.path.join(HERE, "tolerance.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
