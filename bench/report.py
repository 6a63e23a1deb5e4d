"""The ticket-page benchmark's table on stdout and its chart (PNG, matplotlib's Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

P50_TARGET = 3.0
"""deskql's p50 at most 3x the baseline's."""
RPS_TARGET = 1 / 3
"""deskql's throughput at least a third of the baseline's."""
POSTGRAPHILE_RPS_TARGET = 1.0
"""deskql's throughput at least PostGraphile's (issue 21)."""
DEEP_TARGET = 1.3
"""The conversation page after 4,900 comments at most 1.3x the first page's latency."""


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


NAMES = {"deskql": "deskql", "baseline": "baseline", "postgraphile": "PostGraphile"}
COLOURS = {"deskql": "tab:blue", "baseline": "tab:orange", "postgraphile": "tab:green"}


def systems(levels: list[dict[str, Any]]) -> list[str]:
    return [name for name in NAMES if levels and name in levels[0]]


def levels_table(levels: list[dict[str, Any]]) -> str:
    names = systems(levels)
    lines = [
        "ticket page: " + ", ".join(NAMES[name] for name in names) + " (2 workers each), same run; "
        "CPU per page = the server's processes + the PostgreSQL backends of its connections",
        f"{'conc':>4}  {'server':<12} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  {'CPU ms/page':>24}",
    ]
    for row in levels:
        for index, name in enumerate(names):
            r = row[name]
            cpu = (
                f"{r['server_cpu_ms_per_request']:5.1f} + {r['db_cpu_ms_per_request']:4.1f} "
                f"= {r['cpu_ms_per_request']:5.1f}"
            )
            level = f"{row['concurrency']:>4}" if not index else " " * 4
            lines.append(
                f"{level}  {NAMES[name]:<12} {r['rps']:>7.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}  {cpu:>24}"
            )
        ratios = (
            f"      deskql/baseline: p50 {row['p50_ratio']:.2f}x (<= {P50_TARGET:.0f}x {verdict(row['p50_met'])}), "
            f"throughput {row['rps_ratio']:.2f} (>= 1/3 {verdict(row['rps_met'])})"
        )
        if "postgraphile" in row:
            ratios += (
                f"; deskql/PostGraphile: throughput {row['postgraphile_rps_ratio']:.2f} "
                f"(>= 1 {verdict(row['postgraphile_rps_met'])}), p50 {row['postgraphile_p50_ratio']:.2f}x"
            )
        lines.append(ratios)
    return "\n".join(lines)


def deep_table(deep: dict[str, Any]) -> str:
    positions = deep["positions"]
    lines = [
        f"conversation pages of a {deep['total']:,}-comment ticket (one request at a time, medians of "
        f"{deep['rounds']}; target: after {positions['deep']:,} within {DEEP_TARGET}x of the first page)"
    ]
    for name in ("deskql", "baseline"):
        row = deep[name]
        pages = "  ".join(
            f"{'first' if not after else f'after {after:,}'} {row[page]['p50_ms']:6.2f} ms"
            + ("" if not after else f" ({row[page]['ratio']:.2f}x)")
            for page, after in positions.items()
        )
        lines.append(f"  {name:<8} {pages}  {verdict(row['deep']['ratio'] <= DEEP_TARGET)}")
    return "\n".join(lines)


def statements_table(statements: dict[str, Any]) -> str:
    d, b = statements["deskql"], statements["baseline"]
    return "\n".join(
        [
            "SQL statements per request (deskql: Tortoise's query log in process; baseline: asyncpg's)",
            f"  ticket page  5 comments {d['page_small']:>3}   64 comments {d['page_typical']:>3}   "
            f"5,000 comments {d['page_giant']:>3}   (baseline {b['page']})",
            f"  conversation page  first {d['conversation_first']:>3}   after 50 {d['conversation_second']:>3}   "
            f"after 2,500 {d['conversation_middle']:>3}   after 4,900 {d['conversation_deep']:>3}   "
            f"(baseline {b['conversation']})",
        ]
    )


def chart(levels: list[dict[str, Any]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    concurrency = [row["concurrency"] for row in levels]
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name in systems(levels):
        colour, label = COLOURS[name], NAMES[name]
        latency.plot(
            concurrency, [r[name]["p50_ms"] for r in levels], "o-", color=colour, label=f"{label} p50"
        )
        latency.plot(
            concurrency, [r[name]["p99_ms"] for r in levels], "s--", color=colour, label=f"{label} p99"
        )
        throughput.plot(concurrency, [r[name]["rps"] for r in levels], "o-", color=colour, label=label)
    for axis in (latency, throughput):
        axis.set_xscale("log", base=2)
        axis.set_xticks(concurrency, [str(c) for c in concurrency])
        axis.set_xlabel("concurrent connections")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    latency.set_yscale("log")
    latency.set_ylabel("latency (ms)")
    latency.set_title("ticket page latency")
    throughput.set_ylabel("requests per second")
    throughput.set_title("ticket page throughput")
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
