#!/usr/bin/env python3
"""Render the figures in bench/out/*.json as markdown tables in BENCHMARKS.md.

    render.py BENCHMARKS.md [--out bench/out]

Each generated block sits between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`
and is replaced on every run; everything outside the markers is left as it
is. A missing figure is shown as "not measured" with the reason from
bench/out/errors.log. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

LABELS = ("abuse", "ad_hominem", "off_topic")
SOURCES = ("seeds", "labels", "olid", "davidson", "habernal")
TARGET_THROUGHPUT = 50_000
TARGET_THREAD_THROUGHPUT = 30_000
TARGET_COLD_MS = 50
TARGET_TRAIN_S = 120
TARGET_TRAIN_MB = 2048
TARGET_REFIT_S = 5
TARGET_MODEL_MB = 4


class Figures:
    """The JSON files of one run, read lazily; absent or broken files read as None."""

    def __init__(self, out: Path) -> None:
        self.out = out
        errors = out / "errors.log"
        self.errors = errors.read_text(encoding="utf-8").splitlines() if errors.exists() else []

    def __getitem__(self, name: str) -> dict | None:
        path = self.out / f"{name}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def why_missing(self, *steps: str) -> str:
        for line in self.errors:
            if line.split(":", 1)[0] in steps:
                return f"not measured: step `{line.split(':', 1)[0]}` failed in the last run"
        if any(line.startswith("build:") for line in self.errors):
            return "not measured: the release build failed in the last run"
        return "not measured in the last run"


def fmt(value: float | None, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def met(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def hyperfine_median(fig: Figures, needle: str) -> float | None:
    """Median, not mean: one stalled run on a shared machine moves the mean a lot."""
    cold = fig["coldstart"] or {}
    for r in cold.get("results", []):
        if r["command"].endswith(needle):
            return r["median_ms"]
    return None


def referee_version_ms(fig: Figures) -> float | None:
    return hyperfine_median(fig, "--version")


def model_load_ms(fig: Figures) -> float | None:
    """Loading the model file and scoring one comment, above a bare process start."""
    one, bare = hyperfine_median(fig, f"--model {model_path(fig)} < bench/out/one.jsonl"), referee_version_ms(fig)
    return None if one is None or bare is None else max(one - bare, 0.0)


def cold_start_ms(fig: Figures) -> float | None:
    """One comment with the embedded default model, else with the model file."""
    embedded = hyperfine_median(fig, "score --format jsonl < bench/out/one.jsonl")
    return embedded if embedded is not None else hyperfine_median(fig, "< bench/out/one.jsonl")


def model_path(fig: Figures) -> str:
    return (fig["model"] or {}).get("model", "models/default.refm")


def ok_run(run: dict | None) -> bool:
    return bool(run) and run.get("exit") == 0 and "error" not in run


def model_size_mb(fig: Figures) -> float | None:
    sizes = fig["size"] or {}
    size = sizes.get(model_path(fig))
    return None if size is None else size / 1e6


# ---------------------------------------------------------------- blocks


def block_machine(fig: Figures) -> str:
    m = fig["machine"]
    settings = fig["settings"] or {}
    if not m:
        return "_No run recorded yet: run `bench/run-all`._"
    mode = "`bench/run-all --quick`" if settings.get("quick") else "`bench/run-all`"
    dirty = " (with uncommitted changes)" if m.get("dirty") else ""
    return "\n".join(
        [
            f"- **Date:** {m['date']}, by {mode} at commit `{m['commit']}`{dirty}.",
            f"- **Machine:** {m['cores']} cores (`nproc`), {m['memory_gib']} GiB memory (`free -h`), "
            f"CPU `{m['cpu']}` (/proc/cpuinfo), Linux {m['kernel']}.",
            f"- **Toolchain:** {m['rustc']}; Python {m['python']}.",
            f"- **Load average when the run started:** {' '.join(m['loadavg'])}. The machine is shared "
            "with other builds, so absolute times drift between runs; the ratios between tools measured "
            "in the same run drift much less.",
        ]
    )


def block_summary(fig: Figures) -> str:
    score, cold, train, refit = fig["score"], cold_start_ms(fig), fig["train"], fig["refit"]
    size = model_size_mb(fig)
    rows = []

    def throughput_row(name, figures, target):
        return [
            f"{name}, {figures['jobs']} cores",
            f"≥ {target:,} comments/s",
            f"{fmt(figures['comments_per_s'])} comments/s",
            met(figures["comments_per_s"] >= target),
        ]

    if score and "comments_per_s" in score:
        rows.append(throughput_row("scoring throughput", score, TARGET_THROUGHPUT))
        rows.append(["output in input order", "always", "yes" if score["order_ok"] else "**no**", met(score["order_ok"])])
    else:
        rows.append(["scoring throughput", f"≥ {TARGET_THROUGHPUT:,} comments/s", fig.why_missing("score"), "–"])
    threads = fig["score-threads"]
    if threads and "comments_per_s" in threads:
        rows.append(throughput_row("scoring throughput, threads of 20", threads, TARGET_THREAD_THROUGHPUT))
    else:
        rows.append(
            [
                "scoring throughput, threads of 20",
                f"≥ {TARGET_THREAD_THROUGHPUT:,} comments/s",
                fig.why_missing("threads", "score-threads"),
                "–",
            ]
        )
    rows.append(
        [
            "cold start, one comment, model loaded",
            f"< {TARGET_COLD_MS} ms",
            fmt(cold, 1, " ms") if cold is not None else fig.why_missing("coldstart"),
            met(None if cold is None else cold < TARGET_COLD_MS),
        ]
    )
    rows.append(
        [
            "model file size",
            f"< {TARGET_MODEL_MB} MB",
            f"{fmt(size, 2, ' MB')} (`{model_path(fig)}`)" if size is not None else "no model file",
            met(None if size is None else size < TARGET_MODEL_MB),
        ]
    )
    if ok_run(train):
        rows.append(
            [
                "train from scratch",
                f"≤ {TARGET_TRAIN_S} s, ≤ {TARGET_TRAIN_MB // 1024} GiB",
                f"{fmt(train['wall_s'], 1, ' s')}, {fmt(train['peak_rss_mb'], 0, ' MB')}",
                met(train["wall_s"] <= TARGET_TRAIN_S and train["peak_rss_mb"] <= TARGET_TRAIN_MB),
            ]
        )
    else:
        rows.append(["train from scratch", f"≤ {TARGET_TRAIN_S} s, ≤ 2 GiB", fig.why_missing("train"), "–"])
    if ok_run(refit):
        rows.append(
            [
                "refit on labels/",
                f"≤ {TARGET_REFIT_S} s",
                fmt(refit["wall_s"], 2, " s"),
                met(refit["wall_s"] <= TARGET_REFIT_S),
            ]
        )
    else:
        rows.append(["refit on labels/", f"≤ {TARGET_REFIT_S} s", fig.why_missing("refit"), "–"])
    return table(["measure", "target", "measured", "met"], rows, "llll")


def load_after(runs: list[dict]) -> str:
    loads = sorted(r["loadavg_1min_after"] for r in runs if r.get("loadavg_1min_after") is not None)
    return f"{loads[len(loads) // 2]:.1f}" if loads else "–"


def score_row(name: str, s: dict | None, why: str) -> list[str]:
    if not s or "comments_per_s" not in s:
        return [name, why + (f" ({s['error']})" if s and "error" in s else "")] + ["–"] * 8
    return [
        name,
        f"{s['comments']:,} ({s['input_mb']:.1f} MB)",
        fmt(s["median_s"], 2, " s"),
        fmt(s["comments_per_s"]),
        fmt(s["best_comments_per_s"]),
        fmt(s["mb_per_s"], 1),
        fmt(s["peak_rss_mb"], 0, " MB"),
        f"{s['cpu_percent']:.0f}%",
        "yes" if s["order_ok"] else "**no**",
        load_after(s.get("runs", [])),
    ]


def block_score(fig: Figures) -> str:
    s, s1, st = fig["score"], fig["score-1"], fig["score-threads"]
    rows = [
        score_row(f"all cores (`--jobs {s['jobs']}`)" if s and "jobs" in s else "all cores", s, fig.why_missing("score")),
        score_row(
            "threads of 20 with post and parent, all cores",
            st,
            fig.why_missing("threads", "score-threads"),
        ),
        score_row("one core (`--jobs 1`)", s1, fig.why_missing("score-1")),
        score_row(
            "alt-profanity-check, whole process (`bench/profanity_score.py`)",
            fig["score-profanity"],
            fig.why_missing("score-profanity"),
        ),
        score_row(
            "alt-profanity-check, the threads of 20 (text alone)",
            fig["score-profanity-threads"],
            fig.why_missing("score-profanity-threads"),
        ),
    ]
    out = table(
        ["run", "comments in", "median wall", "comments/s (median)", "comments/s (best)", "MB/s", "peak RSS", "CPU", "order kept", "load avg after"],
        rows,
    )
    if s and "command" in s:
        runs = len(s.get("runs", []))
        out += (
            f"\n\nCommand: `/usr/bin/time -v {s['command']} > out.jsonl`, {runs} runs each; "
            "every run's output is checked line by line against the input ids. "
            "alt-profanity-check reads the same files the same way (stdin to stdout, JSON Lines, "
            "one Python process, batches of 1,000) and scores abuse alone, from the text alone."
        )
        if s.get("jobs") and s1 and "comments_per_s" in s1 and "comments_per_s" in s:
            out += f" Speed-up from 1 to {s['jobs']} cores: {s['comments_per_s'] / s1['comments_per_s']:.2f}×."
    return out


def block_coldstart(fig: Figures) -> str:
    cold = fig["coldstart"]
    if not cold or "results" not in cold:
        return "_" + fig.why_missing("coldstart") + "_"
    rows = [
        [
            f"`{r['command']}`",
            fmt(r["median_ms"], 1),
            f"{r['mean_ms']:.1f} ± {r['stddev_ms']:.1f}",
            fmt(r["min_ms"], 1),
            fmt(r["max_ms"], 1),
            str(r["runs"]),
        ]
        for r in cold["results"]
    ]
    out = table(["command (hyperfine, 3 warm-up runs)", "median ms", "mean ± σ ms", "min ms", "max ms", "runs"], rows)
    load, size = model_load_ms(fig), model_size_mb(fig)
    if load is not None:
        out += (
            f"\n\nLoading `{model_path(fig)}` and scoring one comment take **{load:.1f} ms** above a bare "
            "process start (`--version`): an upper bound on the model's load time."
        )
    if size is not None:
        out += f" Model file `{model_path(fig)}`: **{size:.2f} MB**."
    if model_path(fig) != "models/default.refm":
        out += (
            "\n\n**No shipped model (models/default.refm) in this checkout:** the binary has no "
            f"embedded model, so every figure here and in the scoring tables used `{model_path(fig)}`, "
            "the model trained from scratch earlier in the same run."
        )
    return out


def block_criterion(fig: Figures) -> str:
    crit = fig["criterion"]
    if not crit or not crit.get("benchmarks"):
        return "_" + fig.why_missing("criterion", *[l.split(":")[0] for l in fig.errors if l.startswith("criterion")]) + "_"
    rows = []
    for b in sorted(crit["benchmarks"], key=lambda b: b["id"]):
        mean = b["mean_ns"]
        time = fmt(mean / 1e6, 3, " ms") if mean >= 1e5 else fmt(mean / 1e3, 2, " µs")
        throughput = []
        if "mb_per_s" in b:
            throughput.append(f"{b['mb_per_s']:,.1f} MB/s")
        if "elements_per_s" in b:
            throughput.append(f"{b['elements_per_s']:,.0f} /s")
        rows.append([f"`{b['id']}`", time, ", ".join(throughput) or "–"])
    return table(["criterion benchmark", "mean time", "throughput (one core)"], rows)


def block_training(fig: Figures) -> str:
    rows = []
    for key, name in (("train", "from scratch: labels/ + four corpora, 6,000 threads each, 12,000 of Toxic Spans"), ("refit", "refit on labels/ alone")):
        run = fig[key]
        if ok_run(run):
            rows.append([name, fmt(run["wall_s"], 2, " s"), fmt(run["peak_rss_mb"], 0, " MB"), f"{run['cpu_percent']}%", load_after([run])])
        else:
            reason = fig.why_missing(key)
            if run and run.get("stderr_tail"):
                reason += f": `{run['stderr_tail'].strip().splitlines()[-1][:160]}`"
            rows.append([name, reason, "–", "–", "–"])
    out = table(["training", "wall", "peak RSS", "CPU", "load avg after"], rows)
    commands = [f"`{fig[k]['command']}`" for k in ("train", "refit") if fig[k]]
    if commands:
        out += "\n\nCommands (under `/usr/bin/time -v`): " + "; ".join(commands) + "."
    return out


def ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}"


def block_alternatives(fig: Figures) -> str:
    score, score1, train = fig["score"] or {}, fig["score-1"] or {}, fig["train"]
    ref_rate = score.get("comments_per_s")
    ref_rate1 = score1.get("comments_per_s")
    ref_train = train["wall_s"] if ok_run(train) else None
    rows = [
        [
            "**referee** (whole process, JSON Lines in and out)",
            fmt(ref_train, 1, " s"),
            fmt(train["peak_rss_mb"], 0, " MB") if ok_run(train) else "–",
            f"{fmt(ref_rate)} ({fmt(ref_rate1)} on one core)",
            "3",
            "1.00",
            "1.00",
        ]
    ]
    for model in ("sklearn", "fasttext", "profanity"):
        alt = fig[f"alt-speed-{model}"]
        if not alt:
            rows.append([model, fig.why_missing(f"speed-{model}")] + ["–"] * 5)
            continue
        train_cell = fmt(alt["train_s"], 1, " s") if alt["train_s"] is not None else f"pretrained (load {alt['load_s']:.1f} s)"
        rows.append(
            [
                alt["name"],
                train_cell,
                fmt(alt["peak_rss_mb"], 0, " MB"),
                fmt(alt["comments_per_s"]),
                str(len(alt["labels_scored"])),
                ratio(ref_train, alt["train_s"]),
                ratio(ref_rate1, alt["comments_per_s"]),
            ]
        )
    behind = []
    for model in ("sklearn", "fasttext", "profanity"):
        alt = fig[f"alt-speed-{model}"]
        if not alt:
            continue
        if ref_rate1 is not None and alt["comments_per_s"] > ref_rate1:
            behind.append(
                f"scoring: {alt['name']} scores {alt['comments_per_s']:,.0f} comments/s on one core, "
                f"referee {ref_rate1:,.0f} ({ref_rate1 / alt['comments_per_s']:.2f}×)"
            )
        if ref_train is not None and alt["train_s"] is not None and alt["train_s"] < ref_train:
            behind.append(
                f"training: {alt['name']} trains in {alt['train_s']:.1f} s, referee from scratch in "
                f"{ref_train:.1f} s ({ref_train / alt['train_s']:.2f}×; referee also cross-fits its "
                "lexical scores and builds synthetic context examples)"
            )
    settings = fig["settings"] or {}
    out = table(
        [
            "tool",
            "training time",
            "peak RSS (training + scoring)",
            "scoring, comments/s",
            "labels scored",
            "training time, referee ÷ tool",
            "throughput on one core, referee ÷ tool",
        ],
        rows,
    )
    out += (
        f"\n\nThe alternatives are trained on every labelled row of the evaluation rows (all sources), "
        f"then score the first {fmt(settings.get('alt_comments'))} comments of the same input file "
        "in one Python process (one core, texts already in memory, no JSON). A training-time ratio "
        "below 1 means referee trains faster; a throughput ratio above 1 means referee scores faster, "
        "comparing referee on one core (`--jobs 1`, including JSON parsing and output) with the tool."
    )
    if behind:
        out += "\n\n**Where referee is behind:**\n\n" + "\n".join(f"- {b}" for b in behind)
    return out


def find_metrics(node: object, path: tuple[str, ...] = ()) -> list[tuple[str, str, float, float | None]]:
    """(source, label, roc_auc, ap) wherever a report holds them, whatever its nesting."""
    found = []
    if isinstance(node, dict):
        keys = {k.lower(): k for k in node}
        auc_key = next((keys[k] for k in ("roc_auc", "rocauc", "auc", "roc") if k in keys), None)
        if auc_key is not None and isinstance(node[auc_key], (int, float)):
            ap_key = next((keys[k] for k in ("average_precision", "ap", "avg_precision", "pr_auc") if k in keys), None)
            source = node.get("source") or next((p for p in reversed(path) if p in SOURCES or p == "all"), None)
            label = node.get("label") or next((p for p in reversed(path) if p in LABELS), None)
            if source and label:
                ap = node[ap_key] if ap_key and isinstance(node[ap_key], (int, float)) else None
                found.append((str(source), str(label), float(node[auc_key]), ap))
        for key, value in node.items():
            found += find_metrics(value, path + (str(key),))
    elif isinstance(node, list):
        for value in node:
            found += find_metrics(value, path)
    return found


def metric_table(report: object) -> dict[tuple[str, str], tuple[float, float | None]]:
    """Metrics by (source, label); undefined ones (NaN: one class only) are left out."""
    return {(s, l): (auc, ap) for s, l, auc, ap in find_metrics(report) if not math.isnan(auc)}


def block_quality_side_by_side(fig: Figures) -> str:
    referee = metric_table(fig["eval-corpora"]) if fig["eval-corpora"] else {}
    seeds_only = metric_table(fig["eval-labels"]) if fig["eval-labels"] else {}
    tools = {
        "scikit-learn (bench/baseline.py)": metric_table(fig["baseline"]) if fig["baseline"] else {},
        "fastText": metric_table(fig["alt-cv-fasttext"]) if fig["alt-cv-fasttext"] else {},
        "alt-profanity-check": metric_table(fig["alt-cv-profanity"]) if fig["alt-cv-profanity"] else {},
    }
    keys = sorted(set(referee) | {k for t in tools.values() for k in t}, key=lambda k: (k[0] == "all", k[0], LABELS.index(k[1]) if k[1] in LABELS else 9))
    if not keys:
        return "_" + fig.why_missing("eval-corpora", "cv-fasttext", "cv-profanity", "baseline") + "_"

    def cell(metrics: dict, key: tuple[str, str]) -> str:
        if key not in metrics:
            return "–"
        auc, ap = metrics[key]
        return f"{auc:.3f} / {fmt(ap, 3)}"

    rows, behind = [], []
    for key in keys:
        rows.append([key[0], key[1], cell(referee, key)] + [cell(t, key) for t in tools.values()])
        if key in referee:
            for name, metrics in tools.items():
                if key in metrics and metrics[key][0] > referee[key][0]:
                    behind.append(f"{key[0]} {key[1]}: referee {referee[key][0]:.3f}, {name} {metrics[key][0]:.3f}")
    out = table(["source", "label", "referee"] + list(tools), rows, "llrrrr")
    out += "\n\nEach cell: out-of-fold ROC-AUC / average precision on the same rows and folds."
    if not referee:
        out += f"\n\n**referee's own figures are missing:** {fig.why_missing('eval-corpora')}."
    elif behind:
        out += "\n\n**Where referee is behind** (ROC-AUC):\n\n" + "\n".join(f"- {b}" for b in behind)
    else:
        out += "\n\nreferee's ROC-AUC is at least every alternative's on every source and label measured."
    if seeds_only:
        out += "\n\nreferee on labels/ alone (`referee eval`: a refit of the shipped model, which has seen every seed thread, so optimistic): " + ", ".join(
            f"{s} {l} {auc:.3f} / {fmt(ap, 3)}" for (s, l), (auc, ap) in sorted(seeds_only.items())
        ) + "."
    rows_source = (fig["rows-source"] or {}).get("rows")
    if rows_source:
        out += f"\n\nRows and folds from `{rows_source}`."
    return out


def block_plots(fig: Figures, plots: Path, doc: Path) -> str:
    """The pooled curves inline; every other curve as a link, by source and label."""
    svgs = sorted(plots.glob("**/*.svg"))
    if not svgs:
        return "_" + fig.why_missing("eval-labels", "eval-corpora") + " (no plots in bench/plots/)_"

    def rel(svg: Path) -> str:
        return (svg.relative_to(doc.parent) if svg.is_relative_to(doc.parent) else svg).as_posix()

    inline = [svg for svg in svgs if svg.parent.name == "corpora" and svg.stem.startswith("all-")]
    out = [f"![{svg.stem}]({rel(svg)})" for svg in inline]
    rows = []
    for run in sorted({svg.parent.name for svg in svgs}):
        stems = sorted({svg.stem.rsplit("-", 1)[0] for svg in svgs if svg.parent.name == run})
        for stem in stems:
            cells = [
                f"[{kind}]({rel(plots / run / f'{stem}-{kind}.svg')})" if (plots / run / f"{stem}-{kind}.svg").exists() else "–"
                for kind in ("pr", "reliability")
            ]
            rows.append([f"`referee eval` on {run}", stem.replace("-", " / ", 1)] + cells)
    out.append(table(["run", "source / label", "precision-recall", "reliability"], rows, "llll"))
    return "\n\n".join(out)


def block_errors(fig: Figures) -> str:
    if not fig.errors:
        return "Every step of the last run succeeded."
    return "Steps that failed in the last run (from `bench/out/errors.log`):\n\n" + "\n".join(f"- `{e}`" for e in fig.errors)


def replace_block(text: str, name: str, body: str) -> tuple[str, bool]:
    pattern = re.compile(rf"(<!-- bench:{name} -->)\n.*?(<!-- /bench:{name} -->)", re.S)
    if not pattern.search(text):
        return text, False
    return pattern.sub(lambda m: f"{m.group(1)}\n{body.strip()}\n{m.group(2)}", text, count=1), True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("doc", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--plots", type=Path, default=Path(__file__).resolve().parent / "plots")
    args = parser.parse_args()
    fig = Figures(args.out)
    doc = args.doc.resolve()
    blocks = {
        "machine": block_machine(fig),
        "summary": block_summary(fig),
        "score": block_score(fig),
        "coldstart": block_coldstart(fig),
        "criterion": block_criterion(fig),
        "training": block_training(fig),
        "alternatives": block_alternatives(fig),
        "quality": block_quality_side_by_side(fig),
        "plots": block_plots(fig, args.plots.resolve(), doc),
        "errors": block_errors(fig),
    }
    text = doc.read_text(encoding="utf-8")
    for name, body in blocks.items():
        text, found = replace_block(text, name, body)
        if not found:
            print(f"render.py: {args.doc}: no <!-- bench:{name} --> block; left out", file=sys.stderr)
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
