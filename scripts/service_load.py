"""A bounded load test of ``civilaffairs serve`` on the loopback interface (not a test).

For each worker count (1 and 2 by default) it starts the service on 127.0.0.1, sends single
assessments of the bundled example households (``examples/households/*.json``) from
``--concurrency`` clients for ``--seconds`` seconds, and prints requests per second, the
p50 and p99 latency, the error count (any answer but 200, or a failed request) and the
server's resident memory (the main process and its workers) before and after::

    python scripts/service_load.py                 # 60 s at 1 and 2 workers
    python scripts/service_load.py --seconds 10 --workers 1

Traffic goes to 127.0.0.1 only; each run stops by itself after ``--seconds`` (and never
sends more than ``--max-requests``). Exit 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import time

import httpx

ROOT = pathlib.Path(__file__).resolve().parents[1]
HOUSEHOLDS = sorted((ROOT / "examples" / "households").glob("*.json"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    """Resident memory of *pid* and its children, MiB."""
    pids = [pid]
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            pids.append(int(stat.parent.name))
    total = 0
    for p in pids:
        try:
            for line in pathlib.Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def start(workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_SERVICE_")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civilaffairs",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--limit-concurrency",
            "256",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            # every worker answers /readyz once its registry is built; ask a few times
            if all(httpx.get(url + "/readyz", timeout=5).status_code == 200 for _ in range(8)):
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the service did not start")


async def load(
    url: str, seconds: float, concurrency: int, max_requests: int
) -> tuple[list[float], int]:
    bodies = [p.read_bytes() for p in HOUSEHOLDS]
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client(n: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        i = n
        while time.monotonic() < stop and len(latencies) + errors < max_requests:
            body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.post(
                    "/v1/assess?on=2024-08",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        await asyncio.gather(*(client(n, http) for n in range(concurrency)))
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    args = parser.parse_args()
    print(
        f"{len(HOUSEHOLDS)} example households, {args.concurrency} concurrent clients, "
        f"{args.seconds:g} s per run, {os.cpu_count()} CPUs"
    )
    print(
        f"{'workers':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'RSS before':>11} {'RSS after':>10}"
    )
    failed = 0
    for workers in args.workers:
        port = free_port()
        server = start(workers, port)
        try:
            before = rss_mib(server.pid)
            started = time.monotonic()
            latencies, errors = asyncio.run(
                load(f"http://127.0.0.1:{port}", args.seconds, args.concurrency, args.max_requests)
            )
            elapsed = time.monotonic() - started
            after = rss_mib(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        done = len(latencies)
        cuts = statistics.quantiles(latencies, n=100) if done >= 2 else [0.0] * 99
        print(
            f"{workers:>7} {done:>9} {done / elapsed:>8.1f} {cuts[49] * 1000:>8.1f} "
            f"{cuts[98] * 1000:>8.1f} {errors:>6} {before:>9.1f}Mi {after:>8.1f}Mi"
        )
        failed += errors
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
