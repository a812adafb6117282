#!/usr/bin/python3
"""Generate reference vectors for the Go package splitsim/stats.

Run with the Debian interpreter (python3-scipy, python3-mpmath):

    /usr/bin/python3 stats/testdata/gen_vectors.py

It rewrites the *.json files beside this script. The Go tests only read the
JSON; they never run Python. Reference values come from implementations
independent of the Go code: mpmath at 50 significant digits (chi-square
survival, Pearson and G statistics, Wilson bounds, exact multinomial by full
enumeration), scipy 1.10 (binomtest, ncx2.sf, power_divergence) used
either directly or as a cross-check.
"""

import itertools
import json
import math
import os
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
import scipy
from scipy import stats as ss

mp.mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))


def dump(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


def meta():
    return {
        "generator": "stats/testdata/gen_vectors.py",
        "scipy": scipy.__version__,
        "mpmath": mp.__version__,
        "numpy": np.__version__,
    }


def chi2_sf(x, df):
    """(p, log10 p) of the chi-square survival function, 50 digits."""
    x = mp.mpf(x)
    if x <= 0:
        return 1.0, 0.0
    q = mp.gammainc(mp.mpf(df) / 2, x / 2, mp.inf, regularized=True)
    return float(q), float(mp.log10(q))


def shares(weights):
    s = sum(mp.mpf(w) for w in weights)
    return [mp.mpf(w) / s for w in weights]


# ---------------------------------------------------------------- chi-square


def gen_chisq():
    cases = []
    for x, df in [
        (1.9047619047619047, 1), (100, 1), (1444, 1), (0.5, 1), (3.841458820694124, 1),
        (0.5, 10), (15.5, 4), (3000, 5), (100000, 3), (50, 100), (2000, 1000),
        (124.3, 99), (1e-8, 2), (700, 2), (1500, 7), (1e6, 1), (25, 1),
    ]:
        p, l = chi2_sf(x, df)
        cases.append({"x": x, "df": df, "p": p, "log10p": l})
    dump("chisq.json", {"meta": meta(), "cases": cases})


# ---------------------------------------------------------------- GOF


def gof_ref(counts, weights):
    p = shares(weights)
    pos = [i for i, w in enumerate(weights) if w > 0]
    n = sum(counts[i] for i in pos)
    x2 = mp.mpf(0)
    g = mp.mpf(0)
    for i in pos:
        e = n * p[i]
        o = mp.mpf(counts[i])
        x2 += (o - e) ** 2 / e
        if counts[i] > 0:
            g += 2 * o * mp.log(o / e)
    df = len(pos) - 1
    pp, pl = chi2_sf(x2, df)
    gp, gl = chi2_sf(g, df)
    # Cross-check with scipy where it is meaningful.
    obs = np.array([counts[i] for i in pos], dtype=float)
    exp = np.array([float(n * p[i]) for i in pos])
    sx2, _ = ss.chisquare(obs, exp)
    sg, _ = ss.power_divergence(obs, exp, lambda_="log-likelihood")
    assert abs(sx2 - float(x2)) <= 1e-9 * max(1.0, float(x2)), (counts, sx2, x2)
    assert abs(sg - float(g)) <= 1e-6 * max(1.0, float(g)), (counts, sg, g)
    return {
        "counts": counts, "weights": weights, "df": df,
        "pearson": {"stat": float(x2), "p": pp, "log10p": pl},
        "g": {"stat": float(g), "p": gp, "log10p": gl},
        "w": float(mp.sqrt(x2 / n)) if n > 0 else 0.0,
    }


def gen_gof():
    cases = [
        ("70/30 small deviation", [720, 280], [70, 30]),
        ("50/50 N=10^4", [5500, 4500], [50, 50]),
        ("50/50 below 1e-300", [519000, 481000], [50, 50]),
        ("50/50 far below 1e-300", [5100000, 4900000], [1, 1]),
        ("all on one side", [1000000, 0], [1, 1]),
        ("N=10^7 0.1 point", [7010000, 2990000], [70, 30]),
        ("N=10^7 exact shares", [7000000, 3000000], [70, 30]),
        ("N=10^7 10 destinations", [1001000, 999000, 1000000, 1000000, 1000000,
                                    1000000, 1000000, 1000000, 1000000, 1000000], [1] * 10),
        ("5 destinations", [1020, 1985, 2990, 2480, 1525], [10, 20, 30, 25, 15]),
        ("6 destinations skewed", [5000, 5000, 5000, 5000, 5000, 5600], [1] * 6),
        ("canary 1%", [98870, 1130], [99, 1]),
        ("small N", [3, 1, 0], [1, 1, 1]),
        ("small N two", [7, 13], [1, 1]),
        ("zero share without traffic", [40, 60, 0], [50, 50, 0]),
        ("weights not normalized", [333, 340, 327], [1, 1, 1]),
        ("many destinations", [100 + (i * 7) % 13 for i in range(50)], [1] * 50),
        ("unequal 3", [812, 95, 93], [80, 10, 10]),
    ]
    out = []
    for name, c, w in cases:
        r = gof_ref(c, w)
        r["name"] = name
        out.append(r)
    dump("gof.json", {"meta": meta(), "cases": out})


# ---------------------------------------------------------------- exact


def compositions(n, k):
    if k == 1:
        yield (n,)
        return
    for y in range(n + 1):
        for rest in compositions(n - y, k - 1):
            yield (y,) + rest


def exact_multinomial(counts, weights):
    """Exact multinomial p-value by full enumeration in 40-digit arithmetic."""
    with mp.workdps(40):
        pos = [i for i, w in enumerate(weights) if w > 0]
        c = [counts[i] for i in pos]
        p = shares([weights[i] for i in pos])
        n = sum(c)
        lp = [mp.log(x) for x in p]

        def logP(y):
            s = mp.loggamma(n + 1)
            for yi, l in zip(y, lp):
                s += yi * l - mp.loggamma(yi + 1)
            return s

        thr = logP(c) + mp.log(1 + mp.mpf("1e-7"))
        tot = mp.mpf(0)
        for y in compositions(n, len(c)):
            l = logP(y)
            if l <= thr:
                tot += mp.exp(l)
        tot = min(tot, mp.mpf(1))
        return float(tot), float(mp.log10(tot)), float(-logP(c))


def gen_exact():
    cases = [
        ([3, 1, 0], [1, 1, 1]),
        ([2, 0, 0, 5], [1, 1, 1, 1]),
        ([0, 1, 9], [1, 2, 7]),
        ([5, 3, 1, 1, 0], [30, 30, 20, 10, 10]),
        ([10, 20, 10], [1, 1, 1]),
        ([1, 2], [1, 1]),
        ([0, 12], [1, 1]),
        ([2, 9, 1], [1, 1, 1]),
        ([0, 0, 0, 0, 30], [1, 1, 1, 1, 1]),
        ([4, 4, 4], [1, 1, 1]),
        ([2, 120, 78], [1, 60, 39]),
        ([1, 3, 2, 0, 0, 1], [1, 1, 1, 1, 1, 1]),
        ([6, 1, 1, 0], [97, 1, 1, 1]),
        # N > 256: the Go enumeration sums the last two cells with binomial
        # tails (binary search + incomplete beta) instead of scanning them.
        ([3, 170, 127], [1, 60, 39]),
        ([12, 200, 88], [1, 60, 39]),
    ]
    out = []
    for c, w in cases:
        p, l, stat = exact_multinomial(c, w)
        out.append({"counts": c, "weights": w, "p": p, "log10p": l, "stat": stat})
    dump("exact.json", {"meta": meta(), "cases": out})


# ---------------------------------------------------------------- binomial


def binom_exact_rational(x, n, p):
    p = Fraction(p)
    pmf = [math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)]
    thr = pmf[x] * (1 + Fraction(1, 10 ** 7))
    return float(min(Fraction(1), sum(v for v in pmf if v <= thr)))


def gen_binom():
    cases = [
        (7, 20, 0.5), (0, 10, 0.3), (10, 10, 0.3), (3, 1000, 0.01), (120, 1000, 0.1),
        (5, 10, 0.5), (1, 4, 0.4), (2, 4, 0.4), (1, 3, 0.5), (17, 100, 0.25),
        (4990000, 10000000, 0.5), (4995000, 10000000, 0.5), (700, 1000, 0.7),
        (720, 1000, 0.7), (0, 1000, 0.001), (9, 1000, 0.001), (1, 100000, 0.0001),
        (30, 60, 0.3), (55, 60, 0.3), (12, 12, 0.99), (1, 2, 0.001),
    ]
    out = []
    for x, n, p in cases:
        pv = float(ss.binomtest(x, n, p).pvalue)
        if n <= 200:
            ex = binom_exact_rational(x, n, p)
            assert abs(ex - pv) <= 1e-12 * max(pv, 1e-300), (x, n, p, ex, pv)
        out.append({"x": x, "n": n, "p": p, "pvalue": pv})
    dump("binom.json", {"meta": meta(), "cases": out})


# ---------------------------------------------------------------- intervals


def wilson(x, n, conf):
    with mp.workdps(50):
        z = mp.sqrt(2) * mp.erfinv(mp.mpf(conf))
        nn = mp.mpf(n)
        ph = mp.mpf(x) / nn
        z2n = z * z / nn
        centre = (ph + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * mp.sqrt(ph * (1 - ph) / nn + z * z / (4 * nn * nn))
        lo, hi = centre - half, centre + half
        if x == 0:
            lo = mp.mpf(0)
        if x == n:
            hi = mp.mpf(1)
        return float(max(lo, 0)), float(min(hi, 1))


def gen_intervals():
    cases = [
        (0, 10, 0.95), (10, 10, 0.95), (3, 10, 0.999), (700, 1000, 0.999), (700, 1000, 0.95),
        (7010000, 10000000, 0.999), (1, 10000000, 0.999), (0, 10000000, 0.999),
        (5, 5, 0.5), (1, 2, 0.9), (49, 50, 0.99), (113, 10000, 0.999), (500, 1000, 0.99),
    ]
    out = []
    for x, n, conf in cases:
        wl, wh = wilson(x, n, conf)
        out.append({"x": x, "n": n, "conf": conf, "wilson": [wl, wh]})
    dump("intervals.json", {"meta": meta(), "cases": out})


# ---------------------------------------------------------------- noncentral chi-square, power


def ncx2_sf_mp(x, df, lam):
    """Poisson mixture of central chi-square survival terms, 40 digits."""
    with mp.workdps(40):
        x, lam = mp.mpf(x), mp.mpf(lam)
        mu = lam / 2
        j0 = int(mp.floor(mu))
        tot = mp.mpf(0)

        def term(j):
            w = mp.exp(-mu + j * mp.log(mu) - mp.loggamma(j + 1)) if mu > 0 else mp.mpf(j == 0)
            return w * mp.gammainc(mp.mpf(df) / 2 + j, x / 2, mp.inf, regularized=True), w

        j = j0
        while True:
            t, w = term(j)
            tot += t
            if j > mu and w < mp.mpf("1e-30") * tot:
                break
            j += 1
        j = j0 - 1
        while j >= 0:
            t, w = term(j)
            tot += t
            if w < mp.mpf("1e-30") * tot:
                break
            j -= 1
        return tot


def gen_ncx2():
    cases = []
    for x, df, lam in [
        (3, 2, 5), (3.841458820694124, 1, 7.848879), (3.841458820694124, 1, 0.5),
        (100, 3, 50), (10, 5, 0.001), (20, 10, 30), (60, 4, 20), (1.5, 1, 200),
        (500, 3, 300), (250, 7, 100), (9.21034037197618, 2, 12.5), (0.1, 1, 1),
    ]:
        ref = ncx2_sf_mp(x, df, lam)
        sp = float(ss.ncx2.sf(x, df, lam))
        assert abs(sp - float(ref)) <= 1e-8 * float(ref), (x, df, lam, sp, ref)
        cases.append({"x": x, "df": df, "lambda": lam, "p": float(ref), "scipy": sp})
    # Large noncentrality: scipy only (the mpmath sum is slow there).
    for x, df, lam in [(1e5, 10, 1e5), (2.1e5, 3, 2e5), (1.2e4, 1, 1e4)]:
        sp = float(ss.ncx2.sf(x, df, lam))
        cases.append({"x": x, "df": df, "lambda": lam, "p": sp, "scipy": sp})
    dump("ncx2.json", {"meta": meta(), "cases": cases})


def required_lambda(df, alpha, power):
    with mp.workdps(30):
        crit = mp.mpf(2) * mp.findroot(
            lambda y: mp.gammainc(mp.mpf(df) / 2, y, mp.inf, regularized=True) - alpha,
            float(ss.chi2.isf(alpha, df)) / 2)
        f = lambda lam: ncx2_sf_mp(crit, df, lam) - power
        # Bracket and bisect (ncx2_sf_mp is monotone in lambda).
        lo, hi = mp.mpf(0), mp.mpf(1)
        while f(hi) < 0:
            lo, hi = hi, 2 * hi
        for _ in range(80):
            mid = (lo + hi) / 2
            if f(mid) >= 0:
                hi = mid
            else:
                lo = mid
        return float(hi)


def cohen_w2(p0, p1):
    s0, s1 = sum(p0), sum(p1)
    return sum((b / s1 - a / s0) ** 2 / (a / s0) for a, b in zip(p0, p1) if a > 0)


def required_n_scipy(p0, p1, alpha, power):
    df = sum(1 for a in p0 if a > 0) - 1
    w2 = cohen_w2(p0, p1)
    crit = ss.chi2.isf(alpha, df)
    return smallest_n(lambda n: ss.ncx2.sf(crit, df, n * w2), power)


def smallest_n(pw, power):
    """The smallest integer n >= 1 with pw(n) >= power, for pw non-decreasing in n."""
    lo, hi = 0, 1
    while pw(hi) < power:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pw(mid) >= power:
            hi = mid
        else:
            lo = mid
    return hi


def gen_power():
    power_cases = []
    for df, lam, alpha in [
        (1, 7.848879, 0.05), (1, 1.0, 0.05), (1, 30, 0.001), (2, 10, 0.01), (4, 20, 0.001),
        (9, 5, 0.05), (1, 0.01, 0.001), (3, 100, 0.0005), (19, 40, 0.01),
    ]:
        with mp.workdps(30):
            crit = mp.mpf(2) * mp.findroot(
                lambda y: mp.gammainc(mp.mpf(df) / 2, y, mp.inf, regularized=True) - alpha,
                float(ss.chi2.isf(alpha, df)) / 2)
            ref = ncx2_sf_mp(crit, df, lam)
        sp = float(ss.ncx2.sf(ss.chi2.isf(alpha, df), df, lam))
        assert abs(sp - float(ref)) < 1e-8 * float(ref), (df, lam, alpha, sp, ref)
        power_cases.append({"df": df, "lambda": lam, "alpha": alpha, "power": float(ref)})
    lambda_cases = []
    for df, alpha, power in [(1, 0.05, 0.8), (1, 0.001, 0.9), (2, 0.01, 0.8), (4, 0.001, 0.95),
                             (9, 0.05, 0.5), (1, 0.05, 0.99)]:
        lambda_cases.append({"df": df, "alpha": alpha, "power": power,
                             "lambda": required_lambda(df, alpha, power)})
    n_cases = []
    for p0, p1, alpha, power in [
        ([0.7, 0.3], [0.71, 0.29], 0.05, 0.8),
        ([0.7, 0.3], [0.701, 0.299], 0.05, 0.8),
        ([0.5, 0.5], [0.51, 0.49], 0.05, 0.8),
        ([0.5, 0.5], [0.51, 0.49], 0.001, 0.9),
        ([0.99, 0.01], [0.985, 0.015], 0.001, 0.8),
        ([0.25, 0.25, 0.25, 0.25], [0.26, 0.24, 0.25, 0.25], 0.001, 0.8),
        ([0.2, 0.2, 0.2, 0.2, 0.2], [0.3, 0.1, 0.2, 0.2, 0.2], 0.01, 0.9),
        ([0.6, 0.3, 0.1, 0.0], [0.55, 0.3, 0.15, 0.0], 0.05, 0.8),
        ([0.9, 0.1], [0.5, 0.5], 0.05, 0.8),
    ]:
        n_cases.append({"p0": p0, "p1": p1, "alpha": alpha, "power": power,
                        "n": required_n_scipy(p0, p1, alpha, power)})
    dump("power.json", {"meta": meta(), "power": power_cases, "lambda": lambda_cases,
                        "required_n": n_cases})


# ---------------------------------------------------------------- two proportions


def twoprop_power(n1, n2, p1, p2, alpha):
    with mp.workdps(30):
        n1, n2, p1, p2 = mp.mpf(n1), mp.mpf(n2), mp.mpf(p1), mp.mpf(p2)
        z = -mp.sqrt(2) * mp.erfinv(2 * (mp.mpf(alpha) / 2) - 1)
        pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
        s0 = mp.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
        s1 = mp.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        d = abs(p1 - p2)
        return mp.ncdf((d - z * s0) / s1) + mp.ncdf((-d - z * s0) / s1)


def twoprop_required(p1, p2, ratio, alpha, power):
    pw = lambda n: twoprop_power(n, max(1, math.ceil(ratio * n)), p1, p2, alpha)
    hi = smallest_n(pw, power)
    return hi, max(1, math.ceil(ratio * hi))


def twoprop_ztest(x1, n1, x2, n2):
    with mp.workdps(30):
        pbar = mp.mpf(x1 + x2) / (n1 + n2)
        z = (mp.mpf(x1) / n1 - mp.mpf(x2) / n2) / mp.sqrt(pbar * (1 - pbar) * (mp.mpf(1) / n1 + mp.mpf(1) / n2))
        return float(z), float(mp.erfc(abs(z) / mp.sqrt(2)))


def gen_twoprop():
    power = []
    for n1, n2, p1, p2, alpha in [
        (1000, 1000, 0.01, 0.02, 0.05), (5000, 95000, 0.002, 0.001, 0.001),
        (200, 200, 0.1, 0.15, 0.05), (100000, 100000, 0.001, 0.0012, 0.01),
        (50, 5000, 0.3, 0.1, 0.05), (1000, 1000, 0.5, 0.5, 0.05),
    ]:
        power.append({"n1": n1, "n2": n2, "p1": p1, "p2": p2, "alpha": alpha,
                      "power": float(twoprop_power(n1, n2, p1, p2, alpha))})
    req = []
    for p1, p2, ratio, alpha, pw in [
        (0.02, 0.01, 1, 0.05, 0.8), (0.002, 0.001, 19, 0.001, 0.8), (0.15, 0.1, 1, 0.05, 0.9),
        (0.0012, 0.001, 1, 0.01, 0.8), (0.05, 0.01, 0.5, 0.05, 0.8),
    ]:
        n1, n2 = twoprop_required(p1, p2, ratio, alpha, pw)
        req.append({"p1": p1, "p2": p2, "ratio": ratio, "alpha": alpha, "power": pw, "n1": n1, "n2": n2})
    zt = []
    for x1, n1, x2, n2 in [(30, 1000, 15, 1000), (12, 5000, 95, 95000), (0, 100, 3, 100), (500, 1000, 480, 1000)]:
        z, p = twoprop_ztest(x1, n1, x2, n2)
        zt.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": z, "p": p})
    dump("twoprop.json", {"meta": meta(), "power": power, "required_n": req, "ztest": zt})


# ---------------------------------------------------------------- sequential


def seq_ref(probs, c, batches):
    with mp.workdps(40):
        s = sum(mp.mpf(p) for p in probs)
        p = [mp.mpf(v) / s for v in probs]
        a = [c * v for v in p]
        cum = [0] * len(p)
        out = []
        log10p = mp.mpf(0)
        for b in batches:
            cum = [x + y for x, y in zip(cum, b)]
            n = sum(cum)
            lbf = mp.loggamma(sum(a)) - mp.loggamma(sum(a) + n)
            for ai, xi, pi in zip(a, cum, p):
                lbf += mp.loggamma(ai + xi) - mp.loggamma(ai) - xi * mp.log(pi)
            log10p = min(log10p, -lbf / mp.log(10))
            out.append({"log_bf": float(lbf), "log10p": float(log10p)})
        return out


def gen_sequential():
    cases = []
    rng = np.random.default_rng(12345)
    for probs, c, truth, looks, batch in [
        ([0.5, 0.5], 10000, [0.5, 0.5], 20, 500),
        ([0.5, 0.5], 10000, [0.52, 0.48], 30, 1000),
        ([0.7, 0.2, 0.1], 100, [0.7, 0.2, 0.1], 15, 50),
        ([0.7, 0.2, 0.1], 100, [0.6, 0.3, 0.1], 15, 50),
        ([0.99, 0.01], 10000, [0.985, 0.015], 25, 4000),
        ([0.25, 0.25, 0.25, 0.25], 1000, [0.25, 0.25, 0.25, 0.25], 10, 100000),
    ]:
        batches = [[int(v) for v in rng.multinomial(batch, truth)] for _ in range(looks)]
        cases.append({"probs": probs, "c": c, "batches": batches, "looks": seq_ref(probs, c, batches)})
    dump("sequential.json", {"meta": meta(), "cases": cases})


SECTIONS = {
    "chisq": gen_chisq,
    "gof": gen_gof,
    "exact": gen_exact,
    "binom": gen_binom,
    "intervals": gen_intervals,
    "ncx2": gen_ncx2,
    "power": gen_power,
    "twoprop": gen_twoprop,
    "sequential": gen_sequential,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SECTIONS)
    for name in names:
        SECTIONS[name]()
