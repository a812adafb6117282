#!/usr/bin/python3
"""numpy's equivalent of splitsim's pick: vectorised Generator.choice with probabilities, then counts.

Prints one line per case: name and nanoseconds per request (best of several repetitions).
"""
import time

import numpy as np

N = 10_000_000
REPEAT = 5


def best(fn):
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e9 / N


rng = np.random.default_rng(1)
for k in (2, 100):
    p = np.full(k, 1.0 / k)
    ns = best(lambda: np.bincount(rng.choice(k, size=N, p=p), minlength=k))
    print(f"numpy_choice_{k} {ns:.3f}")
