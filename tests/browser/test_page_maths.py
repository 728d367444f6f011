"""The page computes what gdteach computes: every update rule of ``gdteach.optim`` (with the
settings that change its maths), every schedule of ``gdteach.schedules`` and every built-in
objective, run in Chromium by ``gdteach/explorer.js``, give ``gdteach.run``'s iterates and
losses to 1e-12 relative (float64 on both sides), and stop at the same step for the same
reason when a run diverges.

The rules travel to the page as ``gdteach.widgets.page.optimizer_spec`` writes them, the
objectives as ``objective_spec`` does: what an explorer sends. Chromium is Debian's; without
it (or Playwright) the test is skipped with the reason, under CI (``CI`` set) it fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from gdteach import objectives, optim, run, schedules
from gdteach.widgets import page

from .explorer_page import CHROMIUM, EXPLORER_JS, chromium_page

pytestmark = pytest.mark.browser

STEPS = 300

#: every rule, with each setting that takes another branch of its maths
RULES = {
    "SGD": optim.SGD(lr=0.01),
    "SGD momentum": optim.SGD(lr=0.005, momentum=0.9),
    "SGD dampening, weight decay": optim.SGD(lr=0.005, momentum=0.8, dampening=0.5, weight_decay=0.1),
    "SGD nesterov": optim.SGD(lr=0.005, momentum=0.9, nesterov=True),
    "Adagrad": optim.Adagrad(lr=0.3),
    "Adagrad lr_decay, accumulator, weight decay": optim.Adagrad(lr=0.5, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.05),
    "RMSprop": optim.RMSprop(lr=0.01),
    "RMSprop centered, momentum": optim.RMSprop(lr=0.002, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.01),
    "Adadelta": optim.Adadelta(),
    "Adadelta rho, weight decay": optim.Adadelta(lr=2.0, rho=0.8, weight_decay=0.1),
    "Adam": optim.Adam(lr=0.05),
    "Adam amsgrad, weight decay": optim.Adam(lr=0.05, amsgrad=True, weight_decay=0.01),
    "AdamW": optim.AdamW(lr=0.05),
    "AdamW amsgrad": optim.AdamW(lr=0.05, weight_decay=0.1, amsgrad=True, betas=(0.8, 0.99)),
    "Adamax": optim.Adamax(lr=0.05),
    "Adamax weight decay": optim.Adamax(lr=0.05, weight_decay=0.1, eps=0.0),
    "NAdam": optim.NAdam(lr=0.05),
    "NAdam momentum_decay": optim.NAdam(lr=0.05, momentum_decay=0.01, weight_decay=0.01),
    # schedules, each with a rule whose step it scales
    "SGD step_decay": optim.SGD(lr=schedules.step_decay(0.01, 0.5, 50)),
    "SGD exponential_decay": optim.SGD(lr=schedules.exponential_decay(0.01, 0.01), momentum=0.5),
    "Adam inverse_time_decay": optim.Adam(lr=schedules.inverse_time_decay(0.1, 0.05)),
    "Adam cosine": optim.Adam(lr=schedules.cosine(0.1, 200, 0.001)),
    "RMSprop constant": optim.RMSprop(lr=schedules.constant(0.01)),
    "NAdam warmup then cosine": optim.NAdam(lr=schedules.linear_warmup(0.05, 20, schedules.cosine(0.05, 100))),
    # divergence: the same stop step and reason on both sides
    "SGD diverging": optim.SGD(lr=20.0),
    "SGD momentum diverging": optim.SGD(lr=0.9, momentum=0.99, nesterov=True),
}

#: every built-in objective, each from three starts
OBJECTIVES = {
    "square": (objectives.square, [[5.0], [-0.3], [4.2], [0.0]]),  # at the minimum: 0/0 with eps=0
    "shifted_square": (objectives.shifted_square(3.0), [[0.0], [8.5], [-2.0]]),
    "quadratic": (objectives.quadratic([0.1, 2.0]), [[-4.0, 2.0], [3.0, -1.0], [0.5, 4.5]]),
    "ravine": (objectives.quadratic([0.02, 2.0]), [[-4.5, 1.0], [4.0, 0.2], [-1.0, -3.0]]),
    "rosenbrock": (objectives.rosenbrock, [[-1.5, 2.0], [0.0, 0.0], [1.5, -0.5]]),
    "rosenbrock a=0.5 b=10": (objectives.make_rosenbrock(0.5, 10.0), [[-1.0, 1.0], [1.2, 2.0], [0.2, -0.8]]),
    "x_cos": (objectives.x_cos(), [[-1.0], [7.5], [14.0]]),
}


@pytest.fixture(scope="module")
def maths_page():
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
    with chromium_page() as (p, blocked):
        p.set_content("<html><body></body></html>")
        p.evaluate("""async (source) => {
            const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
            window.gd = await import(url);
        }""", EXPLORER_JS.read_text(encoding="utf-8"))
        yield p
        assert not blocked, f"the maths page made requests: {blocked[:3]}"
        assert not p.errors, f"JavaScript errors: {p.errors[:3]}"


RUN_IN_PAGE = """([objective, rules, starts, steps]) => {
  const f = window.gd.makeObjective(objective);
  const out = {};
  for (const [name, spec] of Object.entries(rules)) {
    out[name] = starts.map((x0) => {
      const r = window.gd.run(f, window.gd.makeRule(spec), x0, steps);
      // JSON has no NaN or infinity: send them as strings
      const keep = (v) => (Number.isFinite(v) ? v : String(v));
      return { x: r.x.map((p) => p.map(keep)), loss: r.loss.map(keep), stop_reason: r.stop_reason };
    });
  }
  return JSON.stringify(out);
}"""


def _floats(values):
    return np.array(values, dtype=object).astype(float)


def _relative_error(got, expected):
    """The largest |got − expected| / |expected| over the finite, non-zero expected values
    (where expected is 0 or not finite, assert_allclose demands equality)."""
    keep = np.isfinite(expected) & (expected != 0)
    return float(np.max(np.abs(got[keep] - expected[keep]) / np.abs(expected[keep]), initial=0.0))


#: what was compared, per objective, written to artifacts/page_maths.json for the record
COVERAGE: dict[str, dict] = {}
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts"))


@pytest.fixture(scope="module", autouse=True)
def _record_coverage():
    yield
    if COVERAGE:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        total = {"rules": len(RULES), "objectives": len(COVERAGE), "steps": STEPS,
                 "runs": sum(c["runs"] for c in COVERAGE.values()),
                 "updates_compared": sum(c["updates_compared"] for c in COVERAGE.values()),
                 "diverged_runs": sum(c["diverged_runs"] for c in COVERAGE.values()),
                 "max_relative_error": max(c["max_relative_error"] for c in COVERAGE.values())}
        (ARTIFACTS / "page_maths.json").write_text(json.dumps({"total": total, **COVERAGE}, indent=2))


@pytest.mark.parametrize("objective_name", list(OBJECTIVES))
def test_every_rule_runs_in_the_page_as_gdteach_runs_it(maths_page, objective_name):
    objective, starts = OBJECTIVES[objective_name]
    spec = page.objective_spec(objective)
    assert spec is not None, f"the page cannot compute {objective_name}"
    rules = {name: page.optimizer_spec(opt) for name, opt in RULES.items()}
    assert all(rules.values()), [n for n, s in rules.items() if s is None]
    in_page = json.loads(maths_page.evaluate(RUN_IN_PAGE, [spec, rules, starts, STEPS]))
    diverged = updates = 0
    worst = 0.0
    for name, opt in RULES.items():
        for x0, got in zip(starts, in_page[name], strict=True):
            traj = run(objective, x0, opt, STEPS, warn=False)
            where = f"{name} on {objective_name} from {x0}"
            assert got["stop_reason"] == traj.stop_reason, f"{where}: {got['stop_reason']} vs {traj.stop_reason}"
            x = np.asarray(traj.x, dtype=float).reshape(len(traj.x), -1)
            assert len(got["x"]) == len(x), f"{where}: {len(got['x']) - 1} steps vs {len(x) - 1}"
            got_x, got_loss = _floats(got["x"]), _floats(got["loss"])
            np.testing.assert_allclose(got_x, x, rtol=1e-12, atol=0, err_msg=where)
            np.testing.assert_allclose(got_loss, traj.loss, rtol=1e-12, atol=0, err_msg=where)
            worst = max(worst, _relative_error(got_x, x), _relative_error(got_loss, traj.loss))
            diverged += traj.stop_reason == "diverged"
            updates += traj.steps
    COVERAGE[objective_name] = {"starts": len(starts), "runs": len(RULES) * len(starts),
                                "updates_compared": updates, "diverged_runs": diverged,
                                "max_relative_error": worst}
    assert diverged > 0 or objective_name == "x_cos", "no run diverged: the stop rule is not compared"


def test_an_objective_of_the_learners_own_is_not_claimed_by_the_page():
    from gdteach import Objective

    own = Objective(lambda x: (x**4).sum(-1), lambda x: 4 * x**3, name="x⁴", dim=1)
    assert page.objective_spec(own) is None
    # a built-in's name on another function is not enough either
    fake = Objective(lambda x: np.sum(0.5 * x * x, axis=-1), lambda x: x, name="θ²", dim=1)
    assert page.objective_spec(fake) is None
    assert page.optimizer_spec(optim.SGD(lr=lambda t: 0.1)) is None


# ---------------------------------------------------------------- what the page cannot compute

#: an explorer drawn from the state Python sends: through anywidget's render() with a model
#: that records what the page sends (a kernel that never answers), or through renderStatic()
#: (a page with no kernel); then the start point moved one key press to the right
SHOW = """([state, live]) => {
  const el = document.body.appendChild(document.createElement("div"));
  const sent = [];
  const model = { get: (k) => state[k], on: () => {}, send: (m) => sent.push(m) };
  if (live) window.gd.default.render({ model, el }); else window.gd.renderStatic(el, state);
  window.__shown = { el, sent };
  return el.querySelectorAll(".gd-root").length;
}"""

READ = """() => {
  const { el, sent } = window.__shown;
  const note = el.querySelector(".gd-note");
  el.remove();
  return { note: note ? note.textContent : "", x0: JSON.parse(el.querySelector(".gd-root").dataset.settings).x0,
           xy: JSON.parse(el.querySelector("path.gd-path").dataset.xy),
           kernel: sent.filter((m) => m.values).map((m) => m.values),
           sliders: Array.from(el.querySelectorAll(".gd-control[data-control^='x0['] output"), (o) => o.textContent) };
}"""


def _shown_after_a_key(maths_page, explorer, live):
    state = json.loads(json.dumps({k: getattr(explorer.view, k) for k in ("scene", "controls", "frame")}))
    assert maths_page.evaluate(SHOW, [state, live]) == 1
    maths_page.locator(".gd-start").last.press("ArrowRight")
    return maths_page.evaluate(READ)


@pytest.mark.parametrize("live", [True, False], ids=["with a kernel", "without a kernel"])
def test_a_learners_own_objective_falls_back_to_the_kernel_and_says_so(maths_page, live):
    from gdteach import Objective, widgets

    own = Objective(lambda x: (x**4).sum(-1), lambda x: 4 * x**3, name="x⁴", dim=1)
    shown = _shown_after_a_key(maths_page, widgets.update_rule_explorer(own, 1.0, lr=0.1, steps=5), live)
    if live:
        assert shown["note"] == ("Computed by the Python kernel: the page cannot compute this objective, "
                                 "so each change waits for the kernel.")
        # the move went to the kernel; the page drew nothing of its own (a fiftieth of the
        # window x0 ± 5 to the right)
        assert shown["kernel"] == [{"x0": [pytest.approx(1.2)]}] and shown["x0"] == [1.0]
    else:
        assert shown["note"] == ("Needs a running Python kernel: the page cannot compute this objective; "
                                 "this is the state saved with the page.")
        assert shown["kernel"] == [] and shown["x0"] == [1.0]


@pytest.mark.parametrize("live", [True, False], ids=["with a kernel", "without a kernel"])
def test_a_built_in_objective_is_computed_in_the_page_and_no_note_is_shown(maths_page, live):
    from gdteach import widgets

    bowl = objectives.quadratic([0.1, 2.0])
    shown = _shown_after_a_key(maths_page, widgets.update_rule_explorer(bowl, [-4.0, 2.0], lr=0.3, steps=25), live)
    assert shown["note"] == ""
    start = [-4.0 + 10 / 50, 2.0]  # a fiftieth of the window (−5, 5) to the right
    assert shown["x0"] == pytest.approx(start, rel=1e-15)
    traj = run(bowl, shown["x0"], optim.SGD(lr=0.3), 25, warn=False)
    np.testing.assert_allclose(np.array(shown["xy"]).T, traj.x, rtol=1e-12, atol=0)
    assert shown["kernel"] == ([{"x0": shown["x0"]}] if live else [])
    if not live:  # no kernel will answer: the start sliders show the start drawn
        assert shown["sliders"] == ["-3.8", "2"]


def test_the_comparison_covers_every_rule_and_schedule_of_gdteach():
    rules = {type(o).__name__ for o in RULES.values()}
    assert rules == set(optim.ALL), f"rules not compared in the page: {set(optim.ALL) - rules}"
    shown = {type(o.lr).__name__ for o in RULES.values() if callable(o.lr)}
    shown |= {type(o.lr.after).__name__ for o in RULES.values() if getattr(o.lr, "after", None)}
    assert shown == set(page.SCHEDULES), f"schedules not compared: {set(page.SCHEDULES) - shown}"
