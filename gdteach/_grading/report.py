"""The instructor's report: the class at a glance, from the records of the results file.

``report_html(records, labels)`` is one self-contained page: how many submissions, the
distribution of totals and of each task's points (matplotlib figures embedded as PNG data
URIs), the cases failed most often with the hints they triggered, and the submissions that
hit a problem, with what it was. It is built only from what the grader judged, so two runs
on the same submissions, on one machine or on a Dask cluster, write the same bytes.

Time per submission differs on every run, so it has a page of its own, ``times_html``
(written beside the report as ``<report>-times.html`` and linked from it): the distribution
of seconds per submission, the slowest submissions, and the total.
"""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from collections.abc import Sequence

from ..style import OKABE_ITO
from .page import esc, page
from .spreadsheet import number

__all__ = ["report_html", "times_html", "failed_most_often"]


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _counts_figure(title: str, series: list[tuple[str, list[float], float]], xlabel: str) -> str:
    """Bar charts (one panel per series) of how many submissions got each number of points."""
    from matplotlib.figure import Figure  # no pyplot: no backend, no global state

    columns = min(len(series), 3)
    rows = -(-len(series) // columns)
    fig = Figure(figsize=(3.4 * columns if columns > 1 else 7.0, 2.9 * rows + 0.4),
                 layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax, (name, values, top) in zip(axes.flat, series):
        counts = Counter(round(v, 6) for v in values)
        xs = sorted(counts)
        ax.bar(xs, [counts[x] for x in xs], width=0.8 if top > 3 else 0.3,
               color=OKABE_ITO["blue"], edgecolor=OKABE_ITO["black"])
        ax.set_xlim(-0.6, top + 0.6)
        if len(series) > 1:
            ax.set_title(name)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("submissions")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in list(axes.flat)[len(series):]:
        ax.set_visible(False)
    fig.suptitle(title)
    return _png(fig)


def failed_most_often(records: Sequence[dict], labels: dict | None = None,
                      limit: int = 15) -> list[dict]:
    """The cases that failed in the most submissions: task, case label, failures, tried,
    and the hints given (most frequent first). Ties keep the notebook's order.

    >>> case = {"hidden": False, "call": "gd_step(w=0.0, grad=-6.0, lr=0.1)", "hint": "w - lr*grad"}
    >>> records = [{"tasks": [{"grade_id": "gd_step", "cases": [{**case, "passed": ok}]}]}
    ...            for ok in (True, False, False)]
    >>> top = failed_most_often(records)[0]
    >>> top["case"], top["failed"], top["tried"], dict(top["hints"])
    ('gd_step(w=0.0, grad=-6.0, lr=0.1)', 2, 3, {'w - lr*grad': 2})
    """
    labels = labels or {}
    stats: dict[tuple[int, int], dict] = {}
    for record in records:
        for t, task in enumerate(record["tasks"]):
            for c, case in enumerate(task["cases"]):
                entry = stats.setdefault((t, c), {
                    "task": task["grade_id"], "hidden": case["hidden"],
                    "case": labels.get((task["grade_id"], c)) or case.get("call")
                    or f"hidden case {c + 1 - task.get('visible', 0)}", "failed": 0, "tried": 0,
                    "hints": Counter()})
                entry["tried"] += 1
                if not case["passed"]:
                    entry["failed"] += 1
                    if case.get("hint"):
                        entry["hints"][case["hint"]] += 1
    ranked = sorted((e for e in stats.values() if e["failed"]), key=lambda e: -e["failed"])
    return ranked[:limit]


def report_html(records: Sequence[dict], *, title: str, labels: dict | None = None,
                times_link: str = "") -> str:
    """The class report (see the module docstring). ``labels`` maps ``(grade_id, case
    index)`` to the call text of hidden cases (the report is for the instructor only)."""
    if not records:
        raise ValueError("records is empty: nothing was graded")
    body = [f"<h1>{esc(title)}</h1>", _glance_table(records)]
    if times_link:
        body.append(f"<p>Time per submission: <a href=\"{esc(times_link)}\">{esc(times_link)}</a> "
                    "(a page of its own: times differ from run to run, this page does not).</p>")
    body += _totals_section(records)
    body += _tasks_section(records)
    body += _failed_section(records, labels)
    body += _problems_section(records)
    return page(title, "\n".join(body), "Written by gdteach.grade from the results file.")


def _glance_table(records: Sequence[dict]) -> str:
    """The class at a glance: submissions, points possible, mean and median total, how many
    got full marks and how many hit a problem."""
    top = records[0]["max"]
    totals = [r["total"] for r in records]
    errored = sum(1 for r in records if r["errors"])
    return "\n".join([
        "<table>\n<caption>The class at a glance</caption>\n<tbody>",
        f"<tr><th scope=\"row\">submissions</th><td class=\"num\">{len(records)}</td></tr>",
        f"<tr><th scope=\"row\">points possible</th><td class=\"num\">{number(top)}</td></tr>",
        f"<tr><th scope=\"row\">mean total</th><td class=\"num\">{statistics.fmean(totals):.2f}</td></tr>",
        f"<tr><th scope=\"row\">median total</th><td class=\"num\">{number(statistics.median(totals))}</td></tr>",
        f"<tr><th scope=\"row\">full marks</th><td class=\"num\">{sum(t == top for t in totals)}</td></tr>",
        f"<tr><th scope=\"row\">with a problem (time-out, crash, missing cell, …)</th>"
        f"<td class=\"num\">{errored}</td></tr>",
        "</tbody>\n</table>"])


def _totals_section(records: Sequence[dict]) -> list[str]:
    """The heading and bar chart of how many submissions got each total."""
    top = records[0]["max"]
    totals = [r["total"] for r in records]
    total_png = _counts_figure(f"Totals of {len(records)} submissions", [("total", totals, top)],
                               "points (total)")
    return ["<h2>Distribution of totals</h2>",
            f"<figure><img src=\"data:image/png;base64,{total_png}\" alt=\"Bar chart: how "
            f"many submissions got each total, from 0 to {number(top)} points.\"></figure>"]


def _tasks_section(records: Sequence[dict]) -> list[str]:
    """Points per task: one bar chart per task, then a table of each task's possible points,
    mean, full marks and zeros."""
    series = [(task["grade_id"], [r["tasks"][t]["points"] for r in records], task["max"])
              for t, task in enumerate(records[0]["tasks"])]
    task_png = _counts_figure("Points per task", series, "points")
    rows = "".join(
        f"<tr><th scope=\"row\"><code>{esc(name)}</code></th><td class=\"num\">{number(top)}</td>"
        f"<td class=\"num\">{statistics.fmean(values):.2f}</td>"
        f"<td class=\"num\">{sum(v == top for v in values)}</td>"
        f"<td class=\"num\">{sum(v == 0 for v in values)}</td></tr>"
        for name, values, top in series)
    return ["<h2>Points per task</h2>",
            f"<figure><img src=\"data:image/png;base64,{task_png}\" alt=\"Bar charts, one "
            "per task: how many submissions got each number of points.\"></figure>",
            "<table>\n<caption>Points per task</caption>\n<thead><tr><th scope=\"col\">task</th>"
            "<th scope=\"col\" class=\"num\">possible</th><th scope=\"col\" class=\"num\">mean"
            "</th><th scope=\"col\" class=\"num\">full marks</th><th scope=\"col\" "
            f"class=\"num\">0 points</th></tr></thead>\n<tbody>{rows}</tbody>\n</table>"]


def _failed_row(entry: dict) -> str:
    """One row of the failed-cases table: task, visible or hidden, case, failures of tries,
    and the three hints given most often."""
    hints = "".join(f"<li>{esc(hint)} <span>({count}×)</span></li>"
                    for hint, count in sorted(entry["hints"].items(), key=lambda item: -item[1])[:3])
    kind = "hidden" if entry["hidden"] else "visible"
    return (f"<tr><td class=\"nowrap\"><code>{esc(entry['task'])}</code></td><td>{kind}</td>"
            f"<td><code>{esc(entry['case'])}</code></td>"
            f"<td class=\"num\">{entry['failed']} of {entry['tried']}</td>"
            f"<td><ul>{hints}</ul></td></tr>")


def _failed_section(records: Sequence[dict], labels: dict | None) -> list[str]:
    """The cases failed most often (:func:`failed_most_often`), or a line saying none failed."""
    failed = failed_most_often(records, labels)
    if not failed:
        return ["<h2>Cases failed most often</h2>", "<p>No case failed.</p>"]
    rows = "\n".join(_failed_row(entry) for entry in failed)
    return ["<h2>Cases failed most often</h2>",
            "<table>\n<caption>Each case, with how many submissions failed it (of those "
            "that reached it) and the hints those failures triggered</caption>\n<thead><tr>"
            "<th scope=\"col\">task</th><th scope=\"col\">check</th><th scope=\"col\">case"
            "</th><th scope=\"col\" class=\"num\">failed</th><th scope=\"col\">hints given"
            "</th></tr></thead>\n<tbody>\n" + rows + "\n</tbody>\n</table>"]


def _problems_section(records: Sequence[dict]) -> list[str]:
    """The submissions that hit a problem (time-out, crash, missing cell, …), with what it was."""
    errored = [r for r in records if r["errors"]]
    if not errored:
        return ["<h2>Submissions with a problem</h2>", "<p>None.</p>"]
    rows = "\n".join(
        f"<tr><td><code>{esc(r['submission'])}</code></td><td>{esc(r.get('student', ''))}</td>"
        f"<td class=\"num\">{number(r['total'])}</td><td><ul>"
        + "".join(f"<li>{esc(error)}</li>" for error in r["errors"]) + "</ul></td></tr>"
        for r in errored)
    return ["<h2>Submissions with a problem</h2>",
            "<table>\n<caption>Time-outs, crashes, missing or changed cells, files that "
            "are not notebooks</caption>\n<thead><tr><th scope=\"col\">submission</th>"
            "<th scope=\"col\">student</th><th scope=\"col\" class=\"num\">total</th>"
            f"<th scope=\"col\">what happened</th></tr></thead>\n<tbody>\n{rows}\n"
            "</tbody>\n</table>"]


def times_html(records: Sequence[dict], *, title: str, slowest: int = 10) -> str:
    """Seconds per submission (from the results file): distribution, slowest, total."""
    from matplotlib.figure import Figure  # no pyplot: no backend, no global state

    seconds = [float(r.get("seconds", 0.0)) for r in records]
    if not seconds:
        raise ValueError("records is empty: nothing was graded")
    fig = Figure(figsize=(7.0, 3.0), layout="constrained")
    ax = fig.subplots()
    ax.hist(seconds, bins=min(30, max(5, len(seconds) // 5)), color=OKABE_ITO["blue"],
            edgecolor=OKABE_ITO["black"])
    ax.set_xlabel("seconds to grade one submission")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"Time per submission ({len(seconds)} submissions)")
    rows = "\n".join(
        f"<tr><td><code>{esc(r['submission'])}</code></td><td>{esc(r.get('student', ''))}</td>"
        f"<td class=\"num\">{float(r.get('seconds', 0.0)):.1f}</td></tr>"
        for r in sorted(records, key=lambda r: -float(r.get("seconds", 0.0)))[:slowest])
    body = [f"<h1>{esc(title)}</h1>",
            f"<p>{len(seconds)} submissions; seconds per submission: median "
            f"{statistics.median(seconds):.1f}, mean {statistics.fmean(seconds):.1f}, most "
            f"{max(seconds):.1f}; {sum(seconds):.0f} s of grading in all (divided among the "
            "jobs or workers that ran at once).</p>",
            f"<figure><img src=\"data:image/png;base64,{_png(fig)}\" alt=\"Histogram of the "
            "seconds each submission took to grade.\"></figure>",
            "<table>\n<caption>The slowest submissions</caption>\n<thead><tr><th scope=\"col\">"
            "submission</th><th scope=\"col\">student</th><th scope=\"col\" class=\"num\">seconds"
            f"</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"]
    return page(title, "\n".join(body), "Written by gdteach.grade from the results file; the "
                "times change from run to run.")
