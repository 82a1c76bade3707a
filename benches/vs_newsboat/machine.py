"""The machine lines printed under the table: CPU, cores, RAM, kernel, load, and the versions of
newsboat, nginx, tidings and Python."""

import os
import platform
import subprocess


def _first_line(argv: list[str]) -> str:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable ({e})"
    text = (p.stdout or p.stderr).strip()
    return text.splitlines()[0] if text else "unavailable"


def lines(tidings: str, newsboat: str) -> list[str]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; RAM {mem}; kernel {platform.release()} ({platform.machine()})",
        f"load average at start: {load}",
        f"newsboat: {_first_line([newsboat, '--version'])}",
        f"nginx: {_first_line(['nginx', '-v'])}",
        f"tidings: {_first_line([tidings, '--version'])} ({tidings})",
        f"python: {platform.python_version()}",
    ]
