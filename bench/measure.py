#!/usr/bin/env python3
"""Measurements of the referee binary, each written as JSON to bench/out/.

    measure.py machine OUT                       cores, memory, CPU, load, date, commit
    measure.py score OUT --referee BIN --input FILE [--runs N] [--jobs J] [--model M]
                                                 whole-process JSON Lines throughput,
                                                 peak memory, output order checked
    measure.py timed OUT --name NAME -- CMD...   wall time and peak memory of one command
    measure.py hyperfine OUT --runs N -- CMD...  hyperfine over shell commands
    measure.py criterion OUT --since EPOCH [--root DIR]
                                                 criterion estimates written after EPOCH
    measure.py size OUT FILE...                  file sizes

Standard library only. Peak memory comes from /usr/bin/time -v ("Maximum
resident set size"), wall time from this script's own clock.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"


def write(out: Path, value: object) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(value, indent=1) + "\n", encoding="utf-8")


def fail(message: str) -> None:
    sys.exit(f"measure.py: {message}")


def machine(args: argparse.Namespace) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))

    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO).stdout.strip()
        except OSError:
            return "unknown"

    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "free_h": run("free", "-h"),
        "cpu": cpu,
        "kernel": platform.release(),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "rustc": run("rustc", "--version"),
        "python": platform.python_version(),
        "commit": run("git", "rev-parse", "--short", "HEAD"),
        "dirty": bool(run("git", "status", "--porcelain", "--untracked-files=no")),
    }


def parse_gnu_time(text: str) -> dict:
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text)
    return {
        "peak_rss_mb": int(rss.group(1)) / 1024 if rss else None,
        "user_s": float(user.group(1)) if user else None,
        "system_s": float(system.group(1)) if system else None,
        "cpu_percent": int(cpu.group(1)) if cpu else None,
    }


def timed_run(cmd: list[str], stdin_path: Path | None, stdout_path: Path | None) -> dict:
    """Run `cmd` under /usr/bin/time -v; wall time, exit code, peak memory."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        try:
            started = time.perf_counter()
            proc = subprocess.run(
                [GNU_TIME, "-v", "-o", report.name, *cmd],
                stdin=stdin,
                stdout=stdout,
                stderr=subprocess.PIPE,
                cwd=REPO,
            )
            wall = time.perf_counter() - started
        finally:
            for f in (stdin, stdout):
                if f is not subprocess.DEVNULL:
                    f.close()
        result = {
            "wall_s": wall,
            "exit": proc.returncode,
            "loadavg_1min_after": float(Path("/proc/loadavg").read_text().split()[0]),
            **parse_gnu_time(report.read()),
        }
    if proc.returncode != 0:
        result["stderr_tail"] = proc.stderr.decode("utf-8", "replace")[-2000:]
    return result


def input_ids(path: Path) -> list[str]:
    """The comment ids of JSON Lines input, in order: a comment line's own,
    a thread line's comments'."""
    ids = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                if "comments" in record:
                    ids.extend(c["id"] for c in record["comments"])
                else:
                    ids.append(record["id"])
    return ids


def check_order(expected: list[str], output: Path) -> str | None:
    """None when `output` holds one object per input comment, in input order."""
    with open(output, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if number > len(expected):
                return f"{output}:{number}: more output lines than the {len(expected)} comments"
            try:
                got = json.loads(line).get("id")
            except json.JSONDecodeError as err:
                return f"{output}:{number}: not JSON: {err}"
            if got != expected[number - 1]:
                return f"{output}:{number}: id {got!r}, expected {expected[number - 1]!r}"
    if number != len(expected):
        return f"{output}: {number} lines for {len(expected)} comments"
    return None


def score(args: argparse.Namespace) -> dict:
    ids = input_ids(args.input)
    size = args.input.stat().st_size
    if args.scorer:
        cmd = args.scorer
    else:
        cmd = [str(args.referee), "score", "--format", "jsonl"]
        if args.model:
            cmd += ["--model", str(args.model)]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
    output = args.out.with_suffix(".stdout.jsonl")
    runs = []
    started = time.perf_counter()
    for _ in range(args.runs):
        if runs and time.perf_counter() - started > args.budget_s:
            break  # slow enough that one more repetition adds little
        run = timed_run(cmd, args.input, output)
        if run["exit"] != 0:
            return {"command": cmd, "error": f"exit {run['exit']}", **run}
        problem = check_order(ids, output)
        run["order_ok"] = problem is None
        if problem:
            run["order_problem"] = problem
        runs.append(run)
    output.unlink(missing_ok=True)
    best = min(runs, key=lambda r: r["wall_s"])
    median = statistics.median(r["wall_s"] for r in runs)
    return {
        "command": " ".join(cmd) + f" < {args.input.name}",
        "jobs": 1 if args.scorer else args.jobs or os.cpu_count(),
        "comments": len(ids),
        "input_mb": size / 1e6,
        "runs": runs,
        "median_s": median,
        "best_s": best["wall_s"],
        "comments_per_s": len(ids) / median,
        "best_comments_per_s": len(ids) / best["wall_s"],
        "mb_per_s": size / 1e6 / median,
        "peak_rss_mb": max(r["peak_rss_mb"] or 0 for r in runs),
        "cpu_percent": statistics.median(r["cpu_percent"] or 0 for r in runs),
        "order_ok": all(r["order_ok"] for r in runs),
    }


def timed(args: argparse.Namespace) -> dict:
    run = timed_run(args.cmd, None, None)
    return {"name": args.name, "command": " ".join(args.cmd), **run}


def hyperfine(args: argparse.Namespace) -> dict:
    if not shutil.which("hyperfine"):
        fail("hyperfine is not installed (apt-get install hyperfine)")
    export = args.out.with_suffix(".hyperfine.json")
    cmd = ["hyperfine", "--style", "none", "--warmup", "3", "--runs", str(args.runs), "--export-json", str(export)]
    proc = subprocess.run(cmd + args.cmd, cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "commands": args.cmd}
    results = json.loads(export.read_text())["results"]
    export.unlink()
    return {
        "results": [
            {
                "command": r["command"],
                "mean_ms": r["mean"] * 1e3,
                "stddev_ms": (r["stddev"] or 0) * 1e3,
                "median_ms": r["median"] * 1e3,
                "min_ms": r["min"] * 1e3,
                "max_ms": r["max"] * 1e3,
                "runs": len(r["times"]),
            }
            for r in results
        ]
    }


def criterion(args: argparse.Namespace) -> dict:
    """Criterion's estimates, with throughput where the bench declared one."""
    found = []
    for bench_file in sorted(args.root.glob("**/new/benchmark.json")):
        estimates = bench_file.with_name("estimates.json")
        if not estimates.exists() or estimates.stat().st_mtime < args.since:
            continue
        bench = json.loads(bench_file.read_text())
        est = json.loads(estimates.read_text())
        # Criterion's headline "time" is the slope of the linear fit when it has
        # one (iteration counts grow linearly), else the mean.
        headline = est.get("slope") or est["mean"]
        mean_ns = headline["point_estimate"]
        interval = headline["confidence_interval"]
        entry = {
            "id": bench.get("full_id") or bench_file.parent.parent.name,
            "group": bench.get("group_id"),
            "mean_ns": mean_ns,
            "mean_ci_ns": [interval["lower_bound"], interval["upper_bound"]],
        }
        throughput = bench.get("throughput") or {}
        if "ElementsAndBytes" in throughput:  # criterion 0.6+: {"elements": n, "bytes": m}
            both = throughput.pop("ElementsAndBytes")
            throughput.update(Elements=both["elements"], Bytes=both["bytes"])
        seconds = mean_ns / 1e9
        for kind, amount in throughput.items():
            if kind in ("Bytes", "BytesDecimal"):
                entry["mb_per_s"] = amount / seconds / 1e6
            elif kind == "Elements":
                entry["elements_per_s"] = amount / seconds
        found.append(entry)
    return {"benchmarks": found}


def size(args: argparse.Namespace) -> dict:
    return {str(p): (p.stat().st_size if p.exists() else None) for p in args.files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("machine")
    p.add_argument("out", type=Path)
    p = sub.add_parser("score")
    p.add_argument("out", type=Path)
    p.add_argument("--referee", type=Path)
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", type=int)
    p.add_argument("--model", type=Path)
    p.add_argument("--budget-s", type=float, default=120.0, help="no further runs once this much time has passed")
    p.add_argument("--scorer", nargs="+", metavar="ARG", help="another scorer's command instead of referee's (JSON Lines in and out); last")
    p = sub.add_parser("timed")
    p.add_argument("out", type=Path)
    p.add_argument("--name", required=True)
    p.add_argument("cmd", nargs="+")
    p = sub.add_parser("hyperfine")
    p.add_argument("out", type=Path)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("cmd", nargs="+")
    p = sub.add_parser("criterion")
    p.add_argument("out", type=Path)
    p.add_argument("--since", type=float, required=True)
    p.add_argument("--root", type=Path, default=REPO / "target" / "criterion")
    p = sub.add_parser("size")
    p.add_argument("out", type=Path)
    p.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "score" and not args.scorer and not args.referee:
        parser.error("score: --referee or --scorer")
    handlers = {
        "machine": machine,
        "score": score,
        "timed": timed,
        "hyperfine": hyperfine,
        "criterion": criterion,
        "size": size,
    }
    result = handlers[args.command](args)
    write(args.out, result)
    if result.get("exit", 0) != 0 or "error" in result:
        sys.exit(f"measure.py: {args.command} failed; details in {args.out}")


if __name__ == "__main__":
    main()
