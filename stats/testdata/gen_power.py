#!/usr/bin/python3
"""Reference values for stats.VerdictPower and stats.VerdictRequiredN (issue 19):
the power of the test a verdict actually uses, not the noncentral chi-square
approximation.

Run with the Debian interpreter (python3-scipy):

    /usr/bin/python3 stats/testdata/gen_power.py

It writes verdictpower.json beside this script. The Go tests only read the
JSON. Everything here is computed independently of the Go code's algorithm:

- "pearson2": Pearson's test with two destinations, exact: the rejection
  region {x : (x - n a)^2 / (n a (1-a)) > c}, c = chi2.isf(alpha, 1), summed
  with scipy's binomial pmf over every x.
- "exact2": the exact binomial test (scipy.stats.binomtest, two-sided) at every
  x, its rejections summed under the true share.
- "enum": Pearson's test and the exact multinomial test with three or four
  destinations, by full enumeration of every outcome (numpy).
- "ltz": the Liu-Tang-Zhang approximation of the Gaussian quadratic form of
  X2 (numpy eigh, scipy ncx2), and for comparison scipy's ncx2 power
  (the old noncentral approximation).
- "required2": the smallest N at which the exact two-destination power reaches
  the target, found by computing the power at every N from 1 up.
"""

import itertools
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats as ss

HERE = os.path.dirname(os.path.abspath(__file__))


def norm(v):
    s = float(sum(v))
    return [x / s for x in v]


def pearson2_power(n, a, r, alpha):
    c = ss.chi2.isf(alpha, 1)
    x = np.arange(n + 1)
    stat = (x - n * a) ** 2 / (n * a * (1 - a))
    rej = stat > c
    return float(np.sum(ss.binom.pmf(x[rej], n, r)))


def exact2_power(n, a, r, alpha):
    tot = 0.0
    for x in range(n + 1):
        if ss.binomtest(x, n, a).pvalue < alpha:
            tot += ss.binom.pmf(x, n, r)
    return float(tot)


def compositions(n, k):
    """Every vector of k non-negative integers summing to n."""
    for c in itertools.combinations(range(n + k - 1), k - 1):
        prev = -1
        out = []
        for b in c:
            out.append(b - prev - 1)
            prev = b
        out.append(n + k - 2 - prev)
        yield out


def enum_power(n, a, r, alpha):
    ys = np.array(list(compositions(n, len(a))), dtype=float)
    a, r = np.array(a), np.array(r)
    lf = np.array([math.lgamma(v + 1) for v in range(n + 1)])
    lnn = math.lgamma(n + 1)
    yi = ys.astype(int)

    def logp(p):
        with np.errstate(divide="ignore"):
            lp = np.log(p)
        t = np.where(ys > 0, ys * lp, 0.0)
        return lnn - lf[yi].sum(axis=1) + t.sum(axis=1)

    l0, l1 = logp(a), logp(r)
    p1 = np.exp(l1)
    # Pearson
    e = n * a
    x2 = ((ys - e) ** 2 / e).sum(axis=1)
    c = ss.chi2.isf(alpha, len(a) - 1)
    pearson = float(p1[x2 > c].sum())
    # Exact multinomial test: p(y) = sum of P0(z) over P0(z) <= P0(y)(1+1e-7).
    p0 = np.exp(l0)
    order = np.argsort(l0, kind="stable")
    cum = np.cumsum(p0[order])
    sl = l0[order]
    idx = np.searchsorted(sl, l0 + math.log1p(1e-7), side="right")
    pval = cum[idx - 1]
    exact = float(p1[pval < alpha].sum())
    return pearson, exact


def ltz_power(n, a, r, alpha):
    a, r = np.array(a), np.array(r)
    d = np.diag(1 / np.sqrt(a))
    cov = d @ (np.diag(r) - np.outer(r, r)) @ d
    mu = math.sqrt(n) * (r - a) / np.sqrt(a)
    lam, vec = np.linalg.eigh(cov)
    keep = lam > 1e-12 * lam.max()
    lam, vec = lam[keep], vec[:, keep]
    b2 = (vec.T @ mu) ** 2 / lam
    cs = [np.sum(lam**j) + j * np.sum(lam**j * b2) for j in (1, 2, 3, 4)]
    s1 = cs[2] / cs[1] ** 1.5
    s2 = cs[3] / cs[1] ** 2
    if s1**2 > s2:
        aa = 1 / (s1 - math.sqrt(s1**2 - s2))
        delta = s1 * aa**3 - aa**2
        l = aa**2 - 2 * delta
    else:
        aa = 1 / s1
        delta = 0.0
        l = cs[1] ** 3 / cs[2] ** 2
    x = ss.chi2.isf(alpha, len(a) - 1)
    t = (x - cs[0]) / math.sqrt(2 * cs[1])
    y = t * math.sqrt(2) * aa + l + delta
    ltz = ss.ncx2.sf(y, l, delta) if delta > 0 else ss.chi2.sf(y, l)
    w2 = float(np.sum((r - a) ** 2 / a))
    ncx = ss.ncx2.sf(x, len(a) - 1, n * w2)
    return float(ltz), float(ncx)


def required2(a, r, alpha, target, nmax):
    """Smallest n with exact Pearson (or exact test, below the auto switch) power >= target."""
    c = ss.chi2.isf(alpha, 1)
    sw = math.ceil(5 / min(a, 1 - a))
    for n in range(1, nmax + 1):
        if n < sw:
            p = exact2_power(n, a, r, alpha)
        else:
            x = np.arange(n + 1)
            rej = (x - n * a) ** 2 / (n * a * (1 - a)) > c
            p = float(np.sum(ss.binom.pmf(x[rej], n, r)))
        if p >= target:
            return n, p
    return None, None


def main():
    out = {
        "meta": {
            "generator": "stats/testdata/gen_power.py",
            "scipy": scipy.__version__,
            "numpy": np.__version__,
        }
    }
    pearson2 = []
    for a, r, n, alpha in [
        (0.7, 0.71, 35622, 0.001), (0.7, 0.71, 35621, 0.001), (0.7, 0.71, 16483, 0.05),
        (0.9, 0.8, 170, 0.001), (0.9, 0.8, 169, 0.001), (0.5, 0.6, 420, 0.001),
        (0.99, 0.98, 1937, 0.001), (0.5, 0.51, 19623, 0.05), (0.8, 0.9, 60, 0.05),
    ]:
        pearson2.append({"a": a, "r": r, "n": n, "alpha": alpha, "power": pearson2_power(n, a, r, alpha)})
    out["pearson2"] = pearson2
    exact2 = []
    for a, r, n, alpha in [(0.9, 0.8, 40, 0.001), (0.9, 0.7, 49, 0.001), (0.99, 0.9, 300, 0.001), (0.5, 0.8, 9, 0.05), (0.99, 0.95, 120, 0.05)]:
        exact2.append({"a": a, "r": r, "n": n, "alpha": alpha, "power": exact2_power(n, a, r, alpha)})
    out["exact2"] = exact2
    enum = []
    for a, r, n, alpha in [
        ([70, 20, 10], [60, 25, 15], 200, 0.001),
        ([70, 20, 10], [60, 25, 15], 388, 0.001),
        ([98, 1, 1], [96, 3, 1], 150, 0.001),
        ([98, 1, 1], [96, 3, 1], 300, 0.05),
        ([1, 1, 1], [2, 1, 1], 14, 0.05),
        ([40, 30, 20, 10], [30, 30, 20, 20], 90, 0.001),
        ([40, 30, 20, 10], [30, 30, 20, 20], 45, 0.001),
        ([97, 1, 1, 1], [94, 2, 2, 2], 150, 0.001),
        ([25, 25, 25, 25], [40, 20, 20, 20], 18, 0.05),
    ]:
        a, r = norm(a), norm(r)
        p, e = enum_power(n, a, r, alpha)
        enum.append({"a": a, "r": r, "n": n, "alpha": alpha, "pearson": p, "exact": e})
        print("enum", n, file=sys.stderr)
    out["enum"] = enum
    ltz = []
    for a, r, n, alpha in [
        ([25, 25, 25, 25], [28, 24, 24, 24], 4564, 0.001),
        ([10] * 10, [12] + [88 / 9] * 9, 6676, 0.001),
        ([5] * 20, [5.5] + [94.5 / 19] * 19, 70181, 0.001),
        ([5] * 20, [10] + [90 / 19] * 19, 777, 0.001),
        ([70, 30], [71, 29], 35622, 0.001),
        ([50, 30, 15, 5], [50, 30, 10, 10], 354, 0.05),
    ]:
        a, r = norm(a), norm(r)
        l, nc = ltz_power(n, a, r, alpha)
        ltz.append({"a": a, "r": r, "n": n, "alpha": alpha, "ltz": l, "ncx2": nc})
    out["ltz"] = ltz
    req = []
    for a, r, alpha, target, nmax in [
        (0.9, 0.8, 0.001, 0.8, 400),
        (0.5, 0.6, 0.001, 0.8, 1000),
        (0.99, 0.98, 0.001, 0.8, 3000),
        (0.9, 0.8, 0.05, 0.8, 200),
        (0.8, 0.9, 0.05, 0.8, 400),
        (0.95, 0.85, 0.001, 0.9, 1000),
    ]:
        n, p = required2(a, r, alpha, target, nmax)
        req.append({"a": a, "r": r, "alpha": alpha, "target": target, "n": n, "power": p})
        print("required", a, r, n, p, file=sys.stderr)
    out["required2"] = req
    path = os.path.join(HERE, "verdictpower.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
