"""Timing helpers: medians over repeated runs, and figures printed with their baseline."""

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def median_seconds(func: Callable[[], Any], *, repeat: int = 50, warmup: int = 5) -> float:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def alternated(
    *funcs: Callable[[], Any], rounds: int = 40, block: int = 5, warmup: int = 5
) -> list[list[float]]:
    """Time several pages in turns, a block of each at a time, so that load hits all alike.

    Returns, per page, its block medians round by round. The page timed first rotates from one
    round to the next, so none always runs just after another.
    """
    for _ in range(warmup):
        for func in funcs:
            func()
    samples: list[list[float]] = [[] for _ in funcs]
    for index in range(rounds):
        for offset in range(len(funcs)):
            which = (index + offset) % len(funcs)
            samples[which].append(median_seconds(funcs[which], repeat=block, warmup=0))
    return samples


def count_queries(func: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


def ratio(name: str, value: float, baseline_name: str, baseline: float, unit: str = "ms") -> None:
    """Print `value` next to its baseline and the ratio between them."""
    scale = 1000 if unit == "ms" else 1
    print(
        f"  {name:<44} {value * scale:10.2f} {unit}   "
        f"baseline {baseline_name}: {baseline * scale:.2f} {unit}   "
        f"ratio {value / baseline:6.2f}x"
    )


def rate(name: str, per_second: float, baseline_name: str, baseline: float) -> None:
    """Print a throughput next to its baseline; a ratio above 1 is faster than the baseline."""
    print(
        f"  {name:<44} {per_second:12,.0f}/s   "
        f"baseline {baseline_name}: {baseline:,.0f}/s   ratio {per_second / baseline:6.2f}x"
    )


def round_target(name: str, values: list[float], baselines: list[float], limit: float) -> None:
    """Print the median of the ratios of samples taken in the same round, with its target and
    their spread: a load that comes and goes moves both sides of a round alike."""
    ratios = sorted(value / baseline for value, baseline in zip(values, baselines, strict=True))
    target(name, statistics.median(ratios), limit, "x")
    print(
        f"  {'  ratio within a round, min / max':<44} {ratios[0]:10,.2f} / {ratios[-1]:.2f} x   "
        f"over {len(ratios)} rounds"
    )


def figure(name: str, value: float, note: str = "") -> None:
    print(f"  {name:<44} {value:10,.2f} {note}")


def target(name: str, value: float, limit: float, unit: str) -> None:
    """Print a figure with its target and whether it is met (at most `limit`)."""
    verdict = "met" if value <= limit else "NOT MET"
    print(f"  {name:<44} {value:10,.2f} {unit:<8} target <= {limit:g} {unit}: {verdict}")
