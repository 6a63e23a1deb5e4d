"""The ticket-page benchmark's table on stdout and its chart (PNG, matplotlib's Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

P50_TARGET = 3.0
"""deskql's p50 at most 3x the baseline's."""
RPS_TARGET = 1 / 3
"""deskql's throughput at least a third of the baseline's."""
DEEP_TARGET = 1.3
"""The conversation page after 4,900 comments at most 1.3x the first page's latency."""


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def levels_table(levels: list[dict[str, Any]]) -> str:
    lines = [
        "ticket page: deskql (2 workers) against the hand-written baseline (2 workers), same run",
        f"{'conc':>4} | {'deskql rps':>10} {'p50 ms':>8} {'p99 ms':>8} | {'base rps':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} | {'p50 x':>6} {'mean x':>6} {'rps x':>6} | {'CPU ms/req':>11} | "
        f"targets (p50 <= {P50_TARGET:.0f}x, "
        "rps >= 1/3)",
    ]
    for row in levels:
        d, b = row["deskql"], row["baseline"]
        lines.append(
            f"{row['concurrency']:>4} | {d['rps']:>10.1f} {d['p50_ms']:>8.1f} {d['p99_ms']:>8.1f} | "
            f"{b['rps']:>9.1f} {b['p50_ms']:>8.1f} {b['p99_ms']:>8.1f} | "
            f"{row['p50_ratio']:>5.2f}x {row['mean_ratio']:>5.2f}x "
            f"{row['rps_ratio']:>5.2f}x | {d['server_cpu_ms_per_request']:>5.1f} {b['server_cpu_ms_per_request']:>5.1f} | "
            f"p50 {verdict(row['p50_met'])}, rps {verdict(row['rps_met'])}"
        )
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
    for name, colour in (("deskql", "tab:blue"), ("baseline", "tab:orange")):
        latency.plot(
            concurrency, [r[name]["p50_ms"] for r in levels], "o-", color=colour, label=f"{name} p50"
        )
        latency.plot(
            concurrency, [r[name]["p99_ms"] for r in levels], "s--", color=colour, label=f"{name} p99"
        )
        throughput.plot(concurrency, [r[name]["rps"] for r in levels], "o-", color=colour, label=name)
    for axis in (latency, throughput):
        axis.set_xscale("log", base=2)
        axis.set_xticks(concurrency, [str(c) for c in concurrency])
        axis.set_xlabel("concurrent connections")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    latency.set_yscale("log")
    latency.set_ylabel("latency (ms)")
    latency.set_title("ticket page latency")
    throughput.set_ylabel("requests per second")
    throughput.set_title("ticket page throughput")
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
