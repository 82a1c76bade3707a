"""Small numeric helpers: median, percentile, slope, and the formats used in the table."""

import statistics


def median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def percentile(xs: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not xs:
        return None
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def slope(x0: float, y0: float | None, x1: float, y1: float | None) -> float | None:
    if y0 is None or y1 is None or x1 == x0:
        return None
    return (y1 - y0) / (x1 - x0)


def secs(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def ms(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.1f} ms" if x < 0.1 else f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s"


def mb(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f} MB" if x < 100 else f"{x:.0f} MB"


def kb(x: float | None) -> str:
    return "–" if x is None else f"{x / 1000:.2f} KB"


def ratio(newsboat: float | None, tidings: float | None) -> str:
    """newsboat ÷ tidings: above 1 means tidings is faster or smaller."""
    if newsboat is None or tidings is None or tidings <= 0:
        return "–"
    r = newsboat / tidings
    if r < 0.1:
        return f"{r:.3f}x (1/{1 / r:.0f})"
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x" if r < 100 else f"{r:.0f}x"


def count(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"
