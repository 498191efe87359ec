"""End-to-end figures of the Python client, printed one a line (the C# SDK's `bench/Tracker.Sdk.Benchmarks`
`-- throughput` does the same for .NET; run both against one server in the same minute):

- ``run.log`` cost on the training thread: each of ``--calls`` calls of 4 metrics timed alone (``perf_counter_ns``),
  while the background thread sends them to the server; median and p99.
- points/s from one process: ``--points`` points in 4-metric calls as fast as the loop goes, until the server has
  acknowledged every one (``finish``), as the C# throughput tool counts it.

    TRACKER_URL=http://127.0.0.1:5040 TRACKER_API_KEY=trk_... /usr/bin/python3 clients/python/bench/bench_log.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tracker  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("TRACKER_URL"))
    parser.add_argument("--key", default=os.environ.get("TRACKER_API_KEY"))
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url (or TRACKER_URL) of a running server")
    settings = tracker.Settings(flush_timeout=300)
    spool = tempfile.mkdtemp(prefix="tracker-bench-")

    # 1. The cost of one call on the training thread.
    timer = time.perf_counter_ns
    overhead = statistics.median(-(timer() - timer()) for _ in range(10_000))
    run = tracker.init(project="throughput", name="python-log-cost", url=args.url, api_key=args.key, spool_dir=spool, settings=settings)
    log = run.log
    samples = []
    for step in range(args.calls):
        t0 = timer()
        log({"loss": 0.5, "val_loss": 0.6, "acc": 0.9, "lr": 3e-4}, step=step)
        samples.append(timer() - t0)
    run.finish()
    samples.sort()
    print(f"python: {sys.version.split()[0]}")
    print(f"log(4 metrics) median: {statistics.median(samples) - overhead:.0f} ns (timer overhead {overhead:.0f} ns subtracted)")
    print(f"log(4 metrics) p99: {samples[int(len(samples) * 0.99)] - overhead:.0f} ns")
    print(f"log-cost run acknowledged: {run.sent_points} of {4 * args.calls}")

    # 2. Points/s, end to end.
    run = tracker.init(project="throughput", name="python-throughput", url=args.url, api_key=args.key, spool_dir=spool, settings=settings)
    log = run.log
    calls = args.points // 4
    started = time.perf_counter()
    cpu = time.process_time()
    for step in range(calls):
        log({"loss": float(step), "val_loss": float(step), "acc": float(step), "lr": float(step)}, step=step)
    logged = time.perf_counter() - started
    run.finish()
    total = time.perf_counter() - started
    print(f"points: {calls * 4}")
    print(f"acknowledged: {run.sent_points}")
    print(f"log loop: {logged * 1000:.0f} ms")
    print(f"end to end: {total * 1000:.0f} ms")
    print(f"process CPU: {(time.process_time() - cpu) * 1000:.0f} ms")
    print(f"throughput: {run.sent_points / total:.0f} points/s")


if __name__ == "__main__":
    main()
