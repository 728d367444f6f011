// gdteach explorers: the page's side of gdteach.widgets (an anywidget ES module).
//
// Python (gdteach.widgets) sends
//   scene    (sent once)  contours or the 1-D objective's labels, the minimum, the plot window,
//                         and the objective as the page can compute it (scene.page, or null)
//   controls (per change) labelled keyboard controls: sliders, a select, checkboxes
//   frame    (per change) paths, losses, axis limits, titles, legend, summary; each run with
//                         its rule as the page can compute it (run.rule, or null)
// The parts, each a small class or a few functions:
//   the maths    objectives, schedules, update rules and run(): gdteach's, operation for operation
//   PageFrames   a new frame for a new start, computed here (no kernel round trip)
//   Scale, Plot  data -> pixels; the SVG drawing of a scene and a frame
//   ControlBar   the labelled controls
//   Channel      the messages to Python: {values, seq}, coalesced, and the frames one key ahead
//   Explorer     the view: wires them together; render() (anywidget) and renderStatic() (no kernel)

const W = 980, H = 390;
const LEFT = { x: 64, y: 38, w: 380, h: 290 };
const RIGHT = { x: 570, y: 38, w: 380, h: 290 };
const DASHES = { solid: "", dashed: "7 4", dotted: "1.5 3", dashdot: "7 3 1.5 3" };
const SVGNS = "http://www.w3.org/2000/svg";
const CSS = `
.gd-root { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: ${W}px; padding: 2px 4px; }
.gd-controls { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; margin: 4px 0 2px; }
.gd-control { display: flex; align-items: center; gap: 6px; }
.gd-control label, .gd-control legend { font-weight: 600; }
.gd-control input[type=range] { width: 150px; }
.gd-control output { min-width: 4.5em; font-variant-numeric: tabular-nums; }
.gd-control fieldset { border: 1px solid #bbb; border-radius: 4px; padding: 0 6px 2px; margin: 0; display: flex; gap: 2px 8px; flex-wrap: wrap; }
.gd-control fieldset label { font-weight: 400; }
.gd-control :focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
.gd-plot { width: 100%; height: auto; display: block; user-select: none; touch-action: none; }
.gd-plot text { font: 12px system-ui, sans-serif; fill: #333; }
.gd-plot .gd-title { font-size: 13px; font-weight: 600; }
.gd-start { cursor: grab; }
.gd-start:focus { outline: none; }
.gd-start:focus-visible circle.gd-ring { stroke: #0072B2; stroke-width: 3; }
.gd-legend { display: flex; flex-wrap: wrap; gap: 2px 16px; margin: 0 0 2px ${RIGHT.x / W * 100}%; }
.gd-legend span { display: inline-flex; align-items: center; gap: 4px; }
.gd-summary { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; }
.gd-error { color: #B00020; }
.gd-note, .gd-static-note { color: #555; font-style: italic; }
`;

// ------------------------------------------------------------------ the maths (gdteach's, in the page)
//
// The built-in objectives, the schedules and the update rules of gdteach, written to do the
// same floating-point operations in the same order as gdteach's numpy code, so that a run
// here gives gdteach.run's iterates (the browser test checks every rule on every objective).
// A point is a plain array of 1 or 2 numbers.

const OBJECTIVES = {
  square: () => ({ fn: (x) => sumOf(x, (v) => v * v), grad: (x) => x.map((v) => 2 * v) }),
  shifted_square: ({ c }) => ({
    fn: (x) => sumOf(x, (v) => (v - c) * (v - c)),
    grad: (x) => x.map((v) => 2 * (v - c)),
  }),
  quadratic: ({ c }) => ({
    fn: (x) => sumOf(x, (v, i) => c[i] * v * v),
    grad: (x) => x.map((v, i) => 2 * c[i] * v),
  }),
  rosenbrock: ({ a, b }) => ({
    fn: ([x, y]) => (a - x) * (a - x) + b * ((y - x * x) * (y - x * x)),  // numpy's ** 2 is a square
    grad: ([x, y]) => {
      const r = y - x * x;
      return [-2 * (a - x) - 4 * b * x * r, 2 * b * r];
    },
  }),
  x_cos: ({ c }) => ({
    fn: (x) => sumOf(x, (v) => v * Math.cos(c * v)),
    grad: (x) => x.map((v) => Math.cos(c * v) - c * v * Math.sin(c * v)),
  }),
};

function sumOf(x, term) {
  let total = term(x[0], 0);  // numpy adds left to right for so few terms
  for (let i = 1; i < x.length; i++) total += term(x[i], i);
  return total;
}

export function makeObjective(spec) {
  if (!spec || !OBJECTIVES[spec.kind]) return null;
  return OBJECTIVES[spec.kind](spec);
}

const SCHEDULES = {
  constant: (s) => () => s.lr0,
  step_decay: (s) => (t) => s.lr0 * s.factor ** Math.floor(t / s.every),
  exponential_decay: (s) => (t) => s.lr0 * Math.exp(-s.k * t),
  inverse_time_decay: (s) => (t) => s.lr0 / (1 + s.k * t),
  cosine: (s) => (t) => {
    const cos = Math.cos((Math.PI * Math.min(t, s.total_steps)) / s.total_steps);
    return s.lr_min + 0.5 * (s.lr0 - s.lr_min) * (1 + cos);
  },
  linear_warmup: (s) => {
    const after = s.after === null ? null : makeSchedule(s.after);
    return (t) => (t < s.warmup_steps ? (s.lr0 * (t + 1)) / s.warmup_steps : after ? after(t - s.warmup_steps) : s.lr0);
  },
};

export function makeSchedule(lr) {
  // a number, or {kind, ...fields} of a gdteach.schedules schedule: step -> lr
  const rate = typeof lr === "number" ? () => lr : SCHEDULES[lr.kind](lr);
  return (step) => {
    const value = rate(step);
    if (!(Number.isFinite(value) && value >= 0)) throw new Error(`the schedule gave lr=${value} at step ${step}; it must be >= 0`);
    return value;
  };
}

const zeros = (x) => x.map(() => 0);
const map2 = (a, b, f) => a.map((v, i) => f(v, b[i], i));

function decayed(o, x, g) {
  // torch's L2 penalty: g + λ x (only when λ is not zero, as gdteach does)
  return o.weight_decay ? map2(g, x, (gi, xi) => gi + o.weight_decay * xi) : g;
}

const RULES = {
  SGD: {
    init: () => ({ buf: null }),
    step(o, x, g0, s, t, lr) {
      let g = decayed(o, x, g0), buf = s.buf;
      if (o.momentum) {
        buf = buf === null ? g.slice() : map2(buf, g, (b, gi) => o.momentum * b + (1 - o.dampening) * gi);
        g = o.nesterov ? map2(g, buf, (gi, b) => gi + o.momentum * b) : buf;
      }
      return [map2(x, g, (xi, gi) => xi - lr * gi), { buf }];
    },
  },
  Adagrad: {
    init: (o, x) => ({ sum: x.map(() => o.initial_accumulator_value) }),
    step(o, x, g0, s, t, lr) {
      const g = decayed(o, x, g0);
      const clr = lr / (1 + (t - 1) * o.lr_decay);
      const sum = map2(s.sum, g, (a, gi) => a + gi * gi);
      return [x.map((xi, i) => xi - (clr * g[i]) / (Math.sqrt(sum[i]) + o.eps)), { sum }];
    },
  },
  RMSprop: {
    init: (o, x) => ({ sq: zeros(x), avg: o.centered ? zeros(x) : null, buf: o.momentum > 0 ? zeros(x) : null }),
    step(o, x, g0, s, t, lr) {
      const g = decayed(o, x, g0), a = o.alpha;
      const sq = map2(s.sq, g, (v, gi) => a * v + (1 - a) * gi * gi);
      let avg = s.avg, denom;
      if (o.centered) {
        avg = map2(s.avg, g, (m, gi) => m + (1 - a) * (gi - m));  // torch's lerp
        denom = sq.map((v, i) => Math.sqrt(v - avg[i] * avg[i]) + o.eps);
      } else {
        denom = sq.map((v) => Math.sqrt(v) + o.eps);
      }
      let buf = s.buf, next;
      if (o.momentum > 0) {
        buf = buf.map((b, i) => o.momentum * b + g[i] / denom[i]);
        next = map2(x, buf, (xi, b) => xi - lr * b);
      } else {
        next = x.map((xi, i) => xi - (lr * g[i]) / denom[i]);
      }
      return [next, { sq, avg, buf }];
    },
  },
  Adadelta: {
    init: (o, x) => ({ sq: zeros(x), acc: zeros(x) }),
    step(o, x, g0, s, t, lr) {
      const g = decayed(o, x, g0), rho = o.rho;
      const sq = map2(s.sq, g, (v, gi) => rho * v + (1 - rho) * gi * gi);
      const delta = g.map((gi, i) => (Math.sqrt(s.acc[i] + o.eps) / Math.sqrt(sq[i] + o.eps)) * gi);
      const acc = map2(s.acc, delta, (u, d) => rho * u + (1 - rho) * d * d);
      return [map2(x, delta, (xi, d) => xi - lr * d), { sq, acc }];
    },
  },
  Adam: {
    init: (o, x) => ({ m: zeros(x), v: zeros(x), vmax: o.amsgrad ? zeros(x) : null }),
    step: (o, x, g0, s, t, lr) => adamStep(o, x, decayed(o, x, g0), s, t, lr),
  },
  AdamW: {
    init: (o, x) => RULES.Adam.init(o, x),
    step: (o, x, g, s, t, lr) => adamStep(o, x.map((xi) => xi * (1 - lr * o.weight_decay)), g, s, t, lr),
  },
  Adamax: {
    init: (o, x) => ({ m: zeros(x), u: zeros(x) }),
    step(o, x, g0, s, t, lr) {
      const g = decayed(o, x, g0), [b1, b2] = o.betas;
      const m = map2(s.m, g, (mi, gi) => mi + (1 - b1) * (gi - mi));
      const u = map2(s.u, g, (ui, gi) => Math.max(b2 * ui, Math.abs(gi) + o.eps));
      const clr = lr / (1 - b1 ** t);
      return [x.map((xi, i) => xi - (clr * m[i]) / u[i]), { m, u }];
    },
  },
  NAdam: {
    init: (o, x) => ({ product: 1, m: zeros(x), v: zeros(x) }),
    step(o, x, g0, s, t, lr) {
      const g = decayed(o, x, g0), [b1, b2] = o.betas;
      const bc2 = 1 - b2 ** t;
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * o.momentum_decay));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentum_decay));
      const product = s.product * mu;
      const m = map2(s.m, g, (mi, gi) => mi + (1 - b1) * (gi - mi));
      const v = map2(s.v, g, (vi, gi) => b2 * vi + (1 - b2) * gi * gi);
      const denom = v.map((vi) => Math.sqrt(vi / bc2) + o.eps);
      const next = x.map((xi, i) => {
        const first = xi - (((lr * (1 - mu)) / (1 - product)) * g[i]) / denom[i];
        return first - (((lr * muNext) / (1 - product * muNext)) * m[i]) / denom[i];
      });
      return [next, { product, m, v }];
    },
  },
};

function adamStep(o, x, g, s, t, lr) {
  // the Adam step shared by Adam and AdamW (torch's single-tensor code path)
  const [b1, b2] = o.betas;
  const m = map2(s.m, g, (mi, gi) => mi + (1 - b1) * (gi - mi));  // torch's lerp
  const v = map2(s.v, g, (vi, gi) => b2 * vi + (1 - b2) * gi * gi);
  const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t, stepSize = lr / bc1;
  let vmax = s.vmax;
  if (o.amsgrad) vmax = map2(vmax, v, (a, b) => Math.max(a, b));
  const denom = (o.amsgrad ? vmax : v).map((vi) => Math.sqrt(vi) / Math.sqrt(bc2) + o.eps);
  return [x.map((xi, i) => xi - (stepSize * m[i]) / denom[i]), { m, v, vmax }];
}

export function makeRule(spec) {
  // {kind, lr, ...fields} as gdteach.widgets.page.optimizer_spec writes it, or null
  if (!spec || !RULES[spec.kind]) return null;
  const rule = RULES[spec.kind], rate = makeSchedule(spec.lr);
  return { spec, init: (x) => rule.init(spec, x), step: (x, g, s, k) => rule.step(spec, x, g, s, k + 1, rate(k)) };
}

export function run(objective, rule, x0, steps) {
  // gdteach.run for one start, no tol or patience: {x: [points], loss: [...], stop_reason}
  let x = x0.slice(), state = rule.init(x);
  const loss0 = objective.fn(x);
  if (!Number.isFinite(loss0)) throw new Error(`the loss at x0 must be finite, got ${loss0}`);
  const xs = [x], losses = [loss0];
  for (let k = 0; k < steps; k++) {
    const g = objective.grad(x);
    [x, state] = rule.step(x, g, state, k);
    const loss = objective.fn(x);
    xs.push(x);
    losses.push(loss);
    if (!Number.isFinite(loss) || !x.every(Number.isFinite)) return { x: xs, loss: losses, stop_reason: "diverged" };
  }
  return { x: xs, loss: losses, stop_reason: "max_steps" };
}

// ------------------------------------------------------------------ small helpers

function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function html(tag, attrs = {}, parent = null, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function fmt(v) {
  return String(+(+v).toPrecision(4));
}

export function pyFormat4g(v) {
  // Python's f"{v:.4g}": 4 significant digits, trailing zeros dropped, 1e-05 style exponents
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [mantissa, exp] = v.toExponential(3).split("e");
  const e = +exp;
  if (e < -4 || e >= 4) {
    const m = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const fixed = v.toFixed(Math.max(0, 3 - e));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

function pyFormatPoint(values) {
  // gdteach.widgets.frames.fmt: a number, or a point in parentheses
  const text = values.map(pyFormat4g).join(", ");
  return values.length === 1 ? text : `(${text})`;
}

const finiteOrNull = (v) => (v === null || !Number.isFinite(v) ? null : v);

// ------------------------------------------------------------------ scales and ticks

class Scale {
  // data -> pixels over [lo, hi] (a log scale when asked); pixels are clamped so that
  // far-away points stay drawable; null for what cannot be drawn
  constructor(lim, lo, hi, log = false) {
    this.f = log ? Math.log10 : (v) => v;
    this.log = log;
    [this.a, this.b, this.lo, this.hi] = [this.f(lim[0]), this.f(lim[1]), lo, hi];
    this.map = (v) => {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) return null;
      const p = this.lo + ((this.f(v) - this.a) / (this.b - this.a)) * (this.hi - this.lo);
      return Math.max(-1e4, Math.min(1e4, p));
    };
  }

  invert(p) {
    const t = this.a + ((p - this.lo) / (this.hi - this.lo)) * (this.b - this.a);
    return this.log ? 10 ** t : t;
  }

  static linearTicks(lo, hi, n = 5) {
    const raw = (hi - lo) / n;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const r = raw / mag;
    const step = (r >= 7.5 ? 10 : r >= 3.5 ? 5 : r >= 1.5 ? 2 : 1) * mag;
    const out = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
    }
    return out.map((v) => [v, fmt(v)]);
  }

  static logTicks(lo, hi) {
    const a = Math.round(Math.log10(lo)), b = Math.round(Math.log10(hi));
    const every = Math.max(1, Math.ceil((b - a) / 6));
    const out = [];
    for (let k = a; k <= b; k += every) out.push(k);
    const sup = (k) => String(k).split("").map((c) => SUP[c]).join("");
    return out.map((k) => [10 ** k, k === 0 ? "1" : k === 1 ? "10" : "10" + sup(k)]);
  }
}

const SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// ------------------------------------------------------------------ SVG path data

function pathData(xs, ys) {
  // "M x y L …", a new M after every gap (a null: not finite, or not on a log axis)
  let d = "", pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === null || ys[i] === null) { pen = false; continue; }
    d += (pen ? "L" : "M") + xs[i].toFixed(1) + " " + ys[i].toFixed(1);
    pen = true;
  }
  return d;
}

function dotsData(xs, ys, r, every) {
  let d = "";
  for (let i = 0; i < xs.length; i += every) {
    if (xs[i] === null || ys[i] === null) continue;
    d += `M${(xs[i] - r).toFixed(1)} ${ys[i].toFixed(1)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
  }
  return d;
}

function arrowData(xs, ys) {
  // a short arrow along each step of a 1-D path: shaft and head
  let shafts = "", heads = "";
  for (let i = 0; i + 1 < xs.length; i++) {
    const [x0, y0, x1, y1] = [xs[i], ys[i], xs[i + 1], ys[i + 1]];
    if ([x0, y0, x1, y1].some((v) => v === null)) continue;
    const dx = x1 - x0, dy = y1 - y0, len = Math.hypot(dx, dy);
    if (len < 10) continue;
    const ux = dx / len, uy = dy / len;
    const ax = x0 + ux * 5, ay = y0 + uy * 5, bx = x1 - ux * 5, by = y1 - uy * 5;
    shafts += `M${ax.toFixed(1)} ${ay.toFixed(1)}L${bx.toFixed(1)} ${by.toFixed(1)}`;
    const hx = bx - ux * 7, hy = by - uy * 7;
    heads += `M${bx.toFixed(1)} ${by.toFixed(1)}L${(hx - uy * 3).toFixed(1)} ${(hy + ux * 3).toFixed(1)}` +
      `L${(hx + uy * 3).toFixed(1)} ${(hy - ux * 3).toFixed(1)}Z`;
  }
  return [shafts, heads];
}

function lastFinite(xs, ys) {
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i] !== null && ys[i] !== null) return i;
  return -1;
}

function starData(x, y) {
  let d = "";
  for (let k = 0; k < 10; k++) {
    const r = k % 2 ? 3.2 : 8, a = -Math.PI / 2 + (k * Math.PI) / 5;
    d += (k ? "L" : "M") + (x + r * Math.cos(a)).toFixed(1) + " " + (y + r * Math.sin(a)).toFixed(1);
  }
  return d + "Z";
}

// ------------------------------------------------------------------ frames computed in the page

class PageFrames {
  // A new frame for a new start, computed here with the same rules as gdteach.run (the
  // explorer's own frame-building, gdteach.widgets.frames, ported for what a start changes).
  // null when the page cannot compute it: a learner's own objective or optimizer.
  constructor(scene) {
    this.scene = scene;
    this.objective = makeObjective(scene.page);
  }

  canCompute(frame) {
    return this.objective !== null && frame.runs.every((r) => makeRule(r.rule) !== null);
  }

  kernelNote(frame, live) {
    // what the page cannot compute (Python code: a learner's own objective, optimizer or
    // schedule), in words; "" when the page computes everything itself
    const own = frame.runs.filter((r) => makeRule(r.rule) === null).map((r) => r.short);
    const what = [this.objective === null ? "this objective" : null,
      own.length ? `the optimizer${own.length > 1 ? "s" : ""} ${own.join(", ")}` : null].filter(Boolean);
    if (!what.length) return "";
    const cannot = `the page cannot compute ${what.join(" or ")}`;
    return live ? `Computed by the Python kernel: ${cannot}, so each change waits for the kernel.`
      : `Needs a running Python kernel: ${cannot}; this is the state saved with the page.`;
  }

  withStart(frame, x0) {
    if (!this.canCompute(frame)) return null;
    const steps = frame.settings.steps, log = this.scene.loss_log, dim = this.scene.dim;
    const results = frame.runs.map((r) => run(this.objective, makeRule(r.rule), x0, steps));
    const runs = frame.runs.map((r, i) => this.entry(r, results[i], dim, log));
    const next = { ...frame, runs, settings: { ...frame.settings, x0: x0.slice() }, count: -1 };
    next.start = dim === 2 ? x0.slice() : [x0[0], results[0].loss[0]];
    if (dim === 1) Object.assign(next, this.window1d(frame, results));
    next.loss_lim = this.lossLimits(frame.loss_lim, results, log);
    next.curve = next.curve === undefined ? frame.curve : next.curve;
    Object.assign(next, this.words(frame, results));
    return next;
  }

  entry(r, result, dim, log) {
    const n = result.x.length, diverged = result.stop_reason === "diverged";
    const px = result.x.map((p) => finiteOrNull(p[0]));
    const py = dim === 2 ? result.x.map((p) => finiteOrNull(p[1])) : result.loss.map(finiteOrNull);
    const loss = result.loss.map((v) => (Number.isFinite(v) && (!log || v > 0) ? v : null));
    const out = { ...r, px, py, loss, diverged, markevery: n <= 60 ? 1 : Math.max(1, Math.floor(n / 40)),
      label: r.short + (diverged ? " (diverged)" : "") };
    if ("arrows" in r) out.arrows = dim === 1 && n - 1 <= 30;
    return out;
  }

  window1d(frame, results) {
    // gdteach._draw.window_1d(snap=True), and the curve and its padded limits when it moves
    const [lo, hi] = this.scene.bounds[0], width = hi - lo, half = 0.5 * width;
    const xs = results.flatMap((r) => r.x.map((p) => p[0])).filter(Number.isFinite);
    let window = [lo, hi];
    if (xs.length) {
      const below = Math.max(0, lo - Math.min(...xs) + 0.05 * width);
      const above = Math.max(0, Math.max(...xs) - hi + 0.05 * width);
      const snap = (v) => half * Math.ceil(v / half);
      window = [lo - Math.min(snap(below), 3 * width), hi + Math.min(snap(above), 3 * width)];
    }
    if (window[0] === frame.xlim[0] && window[1] === frame.xlim[1]) return {};
    const cx = Array.from({ length: 400 }, (_, i) => window[0] + ((window[1] - window[0]) * i) / 399);
    const cy = cx.map((v) => this.objective.fn([v]));
    const finite = cy.filter(Number.isFinite);
    const [a, b] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
    const pad = 0.06 * (b - a || 1);
    return { xlim: window, ylim: [a - pad, b + pad], curve: [cx, cy.map(finiteOrNull)] };
  }

  lossLimits(current, results, log) {
    // gdteach.widgets.frames.loss_axis: the calm losses, sticky limits
    const calm = results.filter((r) => r.stop_reason !== "diverged").flatMap((r) => r.loss)
      .concat(results.map((r) => r.loss[0])).filter((v) => Number.isFinite(v) && (!log || v > 0));
    if (!calm.length) return current;
    const lo = Math.min(...calm);
    let hi = Math.max(...calm);
    if (results.some((r) => r.stop_reason === "diverged")) hi = log ? hi * 100 : hi + 0.5 * (hi - lo || Math.abs(hi) || 1);
    return log ? stickyDecades(current, lo, hi) : stickyLinear(current, lo, hi);
  }

  words(frame, results) {
    // the title and summary, as gdteach.widgets.update_rule / race write them
    const steps = frame.settings.steps;
    if (frame.runs.length === 1 && frame.runs[0].name === "path") {
      const r = results[0], last = r.x[r.x.length - 1], end = r.loss[r.loss.length - 1];
      return {
        title: `${frame.runs[0].short}, ${steps} steps: ${describe(r)}`,
        summary: `After ${r.x.length - 1} steps: x = ${pyFormatPoint(last)}, loss = ${pyFormat4g(end)}, stop_reason = '${r.stop_reason}'`,
      };
    }
    return { summary: frame.runs.map((q, i) => `${q.short}: final loss ${pyFormat4g(results[i].loss.at(-1))}, ${results[i].stop_reason}`).join("\n") };
  }
}

function stickyDecades(current, lo, hi) {
  const low = Math.floor(Math.log10(lo) - 0.05);
  const high = Math.max(Math.ceil(Math.log10(hi) + 0.05), low + 1);
  if (current && current[0] > 0 && current[0] <= lo && hi <= current[1] && Math.log10(current[1] / current[0]) <= 2 * (high - low)) return current;
  return [10 ** low, 10 ** high];
}

function stickyLinear(current, lo, hi) {
  if (current && current[0] <= lo && hi <= current[1] && hi - lo >= 0.5 * (current[1] - current[0])) return current;
  const pad = hi > lo ? 0.1 * (hi - lo) : Math.max(1, Math.abs(hi)) * 0.1;
  return [lo - pad, hi + pad];
}

export function describe(result) {
  // gdteach.plot.describe: converges, oscillates, bounces, grows, diverged, stalls
  if (result.stop_reason === "diverged") return "diverged";
  const loss = result.loss, x = result.x;
  if (loss.at(-1) > loss[0]) return "grows";
  const steps = x.slice(1).map((p, i) => p.map((v, j) => v - x[i][j]));
  let turns = 0;
  for (let i = 1; i < steps.length; i++) if (steps[i].reduce((s, v, j) => s + v * steps[i - 1][j], 0) < 0) turns++;
  const backAndForth = turns >= 0.5 * Math.max(steps.length - 1, 1);
  if (loss[0] - loss.at(-1) < 1e-3 * Math.abs(loss[0])) return backAndForth ? "bounces" : "stalls";
  return backAndForth ? "oscillates" : "converges";
}

// ------------------------------------------------------------------ the SVG drawing

class Plot {
  // The two panels (paths on the left, losses on the right) of one explorer: drawn from a
  // scene (once) and a frame (per change). Knows nothing of controls or of Python.
  constructor(root, uid) {
    // a group, not an img: an img's children are presentational, and the start point is a button
    this.svg = svg("svg", { class: "gd-plot", viewBox: `0 0 ${W} ${H}`, role: "group" }, root);
    this.legend = html("div", { class: "gd-legend" }, root);
    this.summary = html("div", { class: "gd-summary", role: "status", "aria-live": "polite" }, root);
    const defs = svg("defs", {}, this.svg);
    for (const [name, box] of [["left", LEFT], ["right", RIGHT]]) {
      svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, svg("clipPath", { id: `${uid}-${name}` }, defs));
    }
    svg("rect", { x: 0, y: 0, width: W, height: H, fill: "white" }, this.svg);
    this.leftAxes = svg("g", {}, this.svg);
    this.hit = svg("rect", { class: "gd-hit", x: LEFT.x, y: LEFT.y, width: LEFT.w, height: LEFT.h, fill: "transparent" }, this.svg);
    const clipped = (name, cls = "") => svg("g", { class: cls, "clip-path": `url(#${uid}-${name})`, "pointer-events": "none" }, this.svg);
    this.backdrop = clipped("left");
    this.paths = clipped("left", "gd-paths");
    this.minimum = svg("path", { d: "", fill: "gold", stroke: "black", "stroke-width": 0.8, "pointer-events": "none" }, this.svg);
    this.start = svg("g", { class: "gd-start", tabindex: 0, role: "button" }, this.svg);
    svg("circle", { r: 14, fill: "transparent" }, this.start);
    svg("circle", { class: "gd-ring", r: 7, fill: "none", stroke: "black", "stroke-width": 1.8 }, this.start);
    this.rightAxes = svg("g", {}, this.svg);
    this.losses = svg("g", { class: "gd-losses", "clip-path": `url(#${uid}-right)` }, this.svg);
    this.marks = svg("g", {}, this.svg);
    const title = (box) => svg("text", { class: "gd-title", x: box.x + box.w / 2, y: 24, "text-anchor": "middle" }, this.svg);
    [this.leftTitle, this.rightTitle] = [title(LEFT), title(RIGHT)];
    this.sx = this.sy = null;
    this.leftKey = this.rightKey = "";
  }

  drawScene(scene) {
    this.scene = scene;
    this.svg.setAttribute("aria-label", `${scene.title}: paths on the left, loss per update on the right`);
    this.backdrop.replaceChildren();
    this.leftKey = "";
    if (scene.dim !== 2) return;
    const [bx, by] = scene.bounds;
    const px = (t) => LEFT.x + (t / 1000) * LEFT.w, py = (t) => LEFT.y + LEFT.h - (t / 1000) * LEFT.h;
    for (const level of scene.contours) {
      let d = "";
      for (const line of level.lines) {
        for (let i = 0; i < line.length; i += 2) d += (i ? "L" : "M") + px(line[i]).toFixed(1) + " " + py(line[i + 1]).toFixed(1);
      }
      svg("path", { d, fill: "none", stroke: level.color, "stroke-width": 0.9, opacity: 0.75 }, this.backdrop);
    }
    this.setLeft(bx, by);
  }

  setLeft(xlim, ylim) {
    this.sx = new Scale(xlim, LEFT.x, LEFT.x + LEFT.w);
    this.sy = new Scale(ylim, LEFT.y + LEFT.h, LEFT.y);
    const key = JSON.stringify([xlim, ylim]);
    if (key === this.leftKey) return false;
    this.leftKey = key;
    axes(this.leftAxes, LEFT, this.sx, this.sy, xlim, ylim, false, [this.scene.xlabel, this.scene.ylabel]);
    const m = this.scene.minimum, x = m && this.sx.map(m[0]), y = m && this.sy.map(m[1]);
    this.minimum.setAttribute("d", x === null || y === null || !m ? "" : starData(x, y));
    return true;
  }

  paint(frame, { dragging, note = "" }) {
    const scene = this.scene;
    if (scene.dim === 1 && this.setLeft(frame.xlim, frame.ylim)) {
      const [cx, cy] = frame.curve;
      this.backdrop.replaceChildren();
      svg("path", { d: pathData(cx.map(this.sx.map), cy.map(this.sy.map)), fill: "none", stroke: "#595959", "stroke-width": 1.8 }, this.backdrop);
    }
    const lx = new Scale(frame.steps_lim, RIGHT.x, RIGHT.x + RIGHT.w);
    const ly = new Scale(frame.loss_lim, RIGHT.y + RIGHT.h, RIGHT.y, scene.loss_log);
    const rk = JSON.stringify([frame.steps_lim, frame.loss_lim]);
    if (rk !== this.rightKey) {
      axes(this.rightAxes, RIGHT, lx, ly, frame.steps_lim, frame.loss_lim, scene.loss_log, ["update (step)", scene.loss_label]);
      this.rightKey = rk;
    }
    for (const g of [this.paths, this.losses, this.marks]) g.replaceChildren();
    const items = [];
    // the thickest (the tuned optimizer) is drawn last, on top; the legend keeps the race order
    for (const r of [...frame.runs].sort((a, b) => a.width - b.width)) {
      this.drawPath(r, frame);
      this.drawLoss(r, lx, ly);
      items[frame.runs.indexOf(r)] = legendItem(r);
    }
    this.legend.replaceChildren(...items);
    const [x0, y0] = [this.sx.map(frame.start[0]), this.sy.map(frame.start[1])];
    if (!dragging && x0 !== null && y0 !== null) this.moveStart(x0, y0);
    this.start.setAttribute("aria-label", `start point (${frame.start.map(fmt).join(", ")}): drag it, or use the arrow keys`);
    this.leftTitle.textContent = frame.title;
    this.rightTitle.textContent = frame.loss_title;
    this.summary.replaceChildren(document.createTextNode(frame.summary));
    if (frame.error) html("div", { class: "gd-error" }, this.summary, frame.error);
    if (note) html("div", { class: "gd-note" }, this.summary, note);
  }

  drawPath(r, frame) {
    const dash = DASHES[r.dash] || "", xs = r.px.map(this.sx.map), ys = r.py.map(this.sy.map);
    const g = svg("g", { "data-run": r.name }, this.paths);
    const line = svg("path", {
      class: "gd-path", d: pathData(xs, ys), fill: "none", stroke: r.color,
      "stroke-width": r.width, "stroke-dasharray": dash, "stroke-linejoin": "round",
    }, g);
    // what the browser tests read: the path in data coordinates and where it is drawn
    const last = lastFinite(r.px, r.py), dim2 = this.scene.dim === 2;
    Object.assign(line.dataset, {
      first: `${fmt(r.px[0])},${fmt(r.py[0])}`,
      last: last < 0 ? "" : `${fmt(r.px[last])},${fmt(r.py[last])}`,
      points: String(r.px.length), xy: JSON.stringify([r.px, r.py]),
      xlim: (dim2 ? this.scene.bounds[0] : frame.xlim).join(","),
      ylim: (dim2 ? this.scene.bounds[1] : frame.ylim).join(","),
      box: [LEFT.x, LEFT.y, LEFT.w, LEFT.h].join(","),
    });
    svg("path", { d: dotsData(xs, ys, r.width > 2 ? 3.2 : 2.6, r.markevery), fill: r.color, stroke: "white", "stroke-width": 0.6 }, g);
    if (r.arrows) {
      const [shafts, heads] = arrowData(xs, ys);
      svg("path", { d: shafts, stroke: r.color, "stroke-width": 0.9, fill: "none" }, g);
      svg("path", { d: heads, fill: r.color }, g);
    }
  }

  drawLoss(r, lx, ly) {
    const steps = r.loss.map((_, i) => lx.map(i)), ls = r.loss.map(ly.map);
    svg("path", {
      class: "gd-loss", d: pathData(steps, ls), fill: "none", stroke: r.color,
      "stroke-width": r.width, "stroke-dasharray": DASHES[r.dash] || "", "data-run": r.name,
    }, this.losses);
    if (r.loss.length <= 31) svg("path", { d: dotsData(steps, ls, 2.4, 1), fill: r.color }, this.losses);
    if (!r.diverged) return;
    const k = lastFinite(steps, ls.map((v) => (v === null ? null : Math.max(v, RIGHT.y))));
    if (k < 0) return;
    const x = steps[k], y = Math.max(ls[k] ?? RIGHT.y, RIGHT.y);
    svg("path", { d: `M${x - 5} ${y - 5}L${x + 5} ${y + 5}M${x - 5} ${y + 5}L${x + 5} ${y - 5}`, stroke: r.color, "stroke-width": 2 }, this.marks);
  }

  moveStart(px, py) {
    this.start.setAttribute("transform", `translate(${px},${py})`);
  }

  pointerToData(event, frame) {
    // the plot point under the pointer (clamped to the left panel), in pixels and in data
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(this.svg.getScreenCTM().inverse());
    const px = Math.max(LEFT.x, Math.min(LEFT.x + LEFT.w, point.x));
    const py = Math.max(LEFT.y, Math.min(LEFT.y + LEFT.h, point.y));
    const x = this.sx.invert(px);
    if (this.scene.dim === 2) return { px, py, x0: [x, this.sy.invert(py)] };
    const [cx, cy] = frame.curve;  // 1-D: the start sits on the curve
    let i = 1;
    while (i < cx.length - 1 && cx[i] < x) i++;
    const t = (x - cx[i - 1]) / (cx[i] - cx[i - 1]);
    const yp = this.sy.map(cy[i - 1] + t * (cy[i] - cy[i - 1]));
    return { px, py: yp === null ? py : yp, x0: [x] };
  }
}

function axes(group, box, sx, sy, xlim, ylim, ylog, labels) {
  // frame, grid, ticks and labels of one panel, redrawn when its limits change
  group.replaceChildren();
  for (const [v, text] of Scale.linearTicks(xlim[0], xlim[1])) {
    const x = sx.map(v);
    svg("line", { x1: x, x2: x, y1: box.y, y2: box.y + box.h, stroke: "#e4e4e4" }, group);
    svg("text", { x, y: box.y + box.h + 15, "text-anchor": "middle" }, group).textContent = text;
  }
  for (const [v, text] of ylog ? Scale.logTicks(ylim[0], ylim[1]) : Scale.linearTicks(ylim[0], ylim[1])) {
    const y = sy.map(v);
    svg("line", { x1: box.x, x2: box.x + box.w, y1: y, y2: y, stroke: "#e4e4e4" }, group);
    svg("text", { x: box.x - 6, y: y + 4, "text-anchor": "end" }, group).textContent = text;
  }
  svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: "#888" }, group);
  svg("text", { x: box.x + box.w / 2, y: box.y + box.h + 32, "text-anchor": "middle" }, group).textContent = labels[0];
  svg("text", { x: 0, y: 0, "text-anchor": "middle", transform: `translate(${box.x - 46},${box.y + box.h / 2}) rotate(-90)` }, group).textContent = labels[1];
}

function legendItem(r) {
  const item = html("span", { "data-run": r.name });
  const key = svg("svg", { width: 30, height: 10, "aria-hidden": "true" }, item);
  svg("line", { x1: 1, x2: 29, y1: 5, y2: 5, stroke: r.color, "stroke-width": Math.min(r.width, 2.6), "stroke-dasharray": DASHES[r.dash] || "" }, key);
  item.appendChild(document.createTextNode(r.label));
  return item;
}

// ------------------------------------------------------------------ controls

class ControlBar {
  // The labelled keyboard controls: rebuilt when their set changes, else only their values move.
  constructor(root, uid, onValue) {
    this.bar = html("div", { class: "gd-controls", role: "group", "aria-label": "explorer controls" }, root);
    this.uid = uid;
    this.onValue = onValue;
    this.controls = new Map();
  }

  names() {
    return Array.from(this.controls.keys()).join();
  }

  spec(name) {
    return this.controls.has(name) ? this.controls.get(name).spec : null;
  }

  show(specs, keepOwn = () => false) {
    const key = specs.map((s) => s.name + ":" + s.kind).join("|");
    if (key !== Array.from(this.controls.values()).map((c) => c.spec.name + ":" + c.spec.kind).join("|")) {
      this.rebuild(specs);
      return;
    }
    // a control the user is still moving keeps its own value until its answer is in
    for (const spec of specs) setControl(this.controls.get(spec.name), spec, !keepOwn(spec.name));
  }

  rebuild(specs) {
    const focused = document.activeElement && document.activeElement.closest(".gd-control");
    const focusName = focused && this.bar.contains(focused) ? focused.dataset.control : null;
    this.controls.clear();
    this.bar.replaceChildren();
    for (const spec of specs) {
      const c = buildControl(spec, this.uid, this.onValue);
      this.controls.set(spec.name, c);
      this.bar.appendChild(c.box);
    }
    const again = focusName && this.controls.get(focusName);
    if (again) (again.input || again.boxes[0]).focus();
  }

  disable(reason, say) {
    // a page with no kernel: the controls are drawn (they show the stored values) but off;
    // with ``say``, a line under them says why and what still moves
    for (const c of this.controls.values()) {
      for (const input of c.boxes || [c.input]) input.disabled = true;
      c.box.title = reason;
    }
    if (say) this.bar.after(html("p", { class: "gd-static-note" }, null, reason));
  }
}

function buildControl(spec, uid, onValue) {
  const box = html("div", { class: "gd-control", "data-control": spec.name });
  const id = `${uid}-${spec.name.replace(/[^\w]/g, "_")}`;
  const c = { spec, box, input: null, output: null };
  if (spec.kind === "checkboxes") {
    const set = html("fieldset", {}, box);
    html("legend", {}, set, spec.label);
    c.boxes = spec.options.map((option) => {
      const label = html("label", {}, set);
      const input = html("input", { type: "checkbox", value: option }, label);
      label.appendChild(document.createTextNode(" " + option));
      input.addEventListener("change", () => onValue(spec.name, c.boxes.filter((b) => b.checked).map((b) => b.value)));
      return input;
    });
  } else if (spec.kind === "select") {
    html("label", { for: id }, box, spec.label);
    c.input = html("select", { id }, box);
    c.input.addEventListener("change", () => onValue(spec.name, c.input.value));
  } else {
    html("label", { for: id }, box, spec.label);
    c.input = html("input", { type: "range", id }, box);
    c.output = html("output", { for: id }, box);
    c.input.addEventListener("input", () => {
      const value = readRange(c);
      c.output.textContent = showValue(c.spec, value);
      onValue(spec.name, value);
    });
  }
  setControl(c, spec, true);
  return c;
}

function readRange(c) {
  const v = +c.input.value;
  return c.spec.kind === "log" ? 10 ** v : c.spec.kind === "int" ? Math.round(v) : v;
}

function showValue(spec, value) {
  if (spec.kind === "int") return String(value);
  if (spec.kind === "log") return String(+value.toPrecision(3));
  return String(+value.toPrecision(spec.step < 0.001 ? 5 : 4));
}

function setControl(c, spec, withValue) {
  c.spec = spec;
  if (spec.kind === "checkboxes") {
    if (withValue) c.boxes.forEach((b) => { b.checked = spec.value.includes(b.value); });
    return;
  }
  if (spec.kind === "select") {
    const now = Array.from(c.input.options).map((o) => o.value).join("|");
    if (now !== spec.options.join("|")) c.input.replaceChildren(...spec.options.map((o) => html("option", { value: o }, null, o)));
    if (withValue) c.input.value = spec.value;
    return;
  }
  c.input.previousSibling.textContent = spec.label;
  for (const k of ["min", "max", "step"]) c.input.setAttribute(k, String(spec[k]));
  if (withValue) {
    c.input.value = String(spec.kind === "log" ? Math.log10(spec.value) : spec.value);
    c.output.textContent = showValue(spec, spec.value);
  }
  c.input.setAttribute("aria-valuetext", `${spec.label} ${showValue(spec, spec.value)}`);
}

// ------------------------------------------------------------------ the channel to Python

class Channel {
  // Talks to gdteach in the kernel: one request in flight, the newest values queued (sent
  // when the answer arrives, at most once per animation frame, so the last value is always
  // the one drawn), and the frames gdteach computed one key press ahead ("previews").
  constructor(model, onBusy) {
    this.model = model;
    this.onBusy = onBusy;
    this.seq = 0;
    this.awaiting = null;
    this.sentAt = -1e9;
    this.scheduled = false;
    this.sentWithPreviews = true;
    this.pending = {};
    this.lastMoved = null;
    this.previews = {};
    this.previewsFor = -1;
    this.pyCount = -1;
  }

  get hasPending() {
    return Object.keys(this.pending).length > 0;
  }

  get settled() {
    return this.awaiting === null && !this.hasPending;
  }

  queue(name, value, withPreviews) {
    this.pending[name] = value;
    this.lastMoved = name;
    this.withPreviews = withPreviews;
    this.flush();
  }

  flush() {
    if (!this.hasPending) return;
    const now = performance.now();
    if ((this.awaiting !== null && now - this.sentAt < 2000) || now - this.sentAt < 15) {
      if (!this.scheduled) {
        this.scheduled = true;
        requestAnimationFrame(() => { this.scheduled = false; this.flush(); });
      }
      return;
    }
    const values = { ...this.pending };
    this.pending = {};
    this.awaiting = ++this.seq;
    this.sentAt = now;
    this.onBusy();
    // while the start is dragged no previews: the kernel answers the next move sooner
    this.sentWithPreviews = this.withPreviews;
    this.model.send({ values, seq: this.seq, previews: this.sentWithPreviews });
  }

  askPreviews() {
    this.model.send({ previews: true });
  }

  answered(frame) {
    // a frame from Python: whether it answers the request in flight
    this.pyCount = frame.count;
    const answer = this.awaiting !== null && frame.seq >= this.awaiting;
    if (answer) this.awaiting = null;
    return answer;
  }

  receivePreviews(msg, frameCount) {
    if (msg && msg.previews && msg.count === this.pyCount && frameCount === this.pyCount && this.settled) {
      this.previews = msg.previews;
      this.previewsFor = msg.count;
      return true;
    }
    return false;
  }

  findPreview(name, value, spec) {
    // the frame gdteach computed for this control at this value, if any
    for (const entry of this.previews[name] || []) {
      const v = entry.value;
      if (Array.isArray(v) && typeof v[0] === "string") {
        if (v.join("|") === value.join("|")) return entry;
      } else if (Array.isArray(v)) {
        if (v.length === value.length && v.every((x, i) => Math.abs(x - value[i]) <= 1e-9 * (1 + Math.abs(x)))) return entry;
      } else if (typeof v === "string") {
        if (v === value) return entry;
      } else if (spec && spec.kind === "log") {
        if (Math.abs(Math.log10(v) - Math.log10(value)) <= 1e-6 * spec.step) return entry;
      } else if (Math.abs(v - value) <= 1e-6 * (spec ? spec.step : 1)) {
        return entry;
      }
    }
    return null;
  }
}

// ------------------------------------------------------------------ the view

class Explorer {
  // One explorer in the page: the plot, the controls, the start point, and the channel to
  // Python (null in a page without a kernel: an HTML export, a slide deck, the site).
  constructor(model, el, uid, live) {
    // keys pressed in the explorer belong to its controls, not to JupyterLab's notebook shortcuts
    this.root = html("div", { class: "gd-root", "data-lm-suppress-shortcuts": "true" }, el);
    html("style", {}, this.root, CSS);
    // and the notebook does not see them either (it would move the focus back to a cell)
    this.root.addEventListener("keydown", (event) => event.stopPropagation());
    this.model = model;
    this.controls = new ControlBar(this.root, uid, (name, value) => this.request(name, value));
    this.plot = new Plot(this.root, uid);
    this.channel = live ? new Channel(model, () => { this.root.dataset.busy = "1"; }) : null;
    this.frame = {};
    this.drawn = 0;
    this.dragging = false;
    this.frozen = false;  // no kernel and nothing the page can compute: nothing moves
    this.listen();
  }

  listen() {
    for (const target of [this.plot.start, this.plot.hit]) {
      target.addEventListener("pointerdown", (event) => {
        if (!this.plot.sx) return;
        this.dragging = true;
        target.setPointerCapture(event.pointerId);
        this.plot.start.focus({ preventScroll: true });
        this.dragTo(event);
        event.preventDefault();
      });
      target.addEventListener("pointermove", (event) => { if (this.dragging) this.dragTo(event); });
      target.addEventListener("pointerup", () => this.endDrag());
      target.addEventListener("pointercancel", () => this.endDrag());
    }
    this.plot.start.addEventListener("keydown", (event) => this.startKey(event));
    if (!this.channel) return;
    this.model.on("msg:custom", (msg) => { if (this.channel.receivePreviews(msg, this.frame.count)) this.updateBusy(); });
    this.model.on("change:scene", () => { this.drawScene(); this.paint(this.frame); });
    this.model.on("change:controls", () => this.showControls());
    this.model.on("change:frame", () => this.onFrame());
  }

  start() {
    this.drawScene();
    this.showControls();
    if (this.channel) {
      this.onFrame();
      return;
    }
    this.paint(this.model.get("frame"));
    // the page's own note says when it cannot compute this explorer at all (then nothing moves)
    this.frozen = !this.pageFrames.canCompute(this.frame);
    this.controls.disable(this.frozen ? "Needs a running Python kernel." : "Without a running kernel "
      + "only the start point moves (drag it, or focus it and use the arrow keys); run the notebook "
      + "to use the other controls.", !this.frozen);
    this.updateBusy();
  }

  drawScene() {
    this.scene = this.model.get("scene");
    this.root.dataset.objective = this.scene.title;
    this.pageFrames = new PageFrames(this.scene);
    this.plot.drawScene(this.scene);
  }

  showControls(specs = this.model.get("controls")) {
    const ch = this.channel;
    this.controls.show(specs, (name) => ch !== null && (name in ch.pending || (ch.awaiting !== null && name === ch.lastMoved)));
  }

  paint(frame) {
    this.frame = frame;
    const note = this.pageFrames.kernelNote(frame, this.channel !== null);
    this.plot.paint(frame, { dragging: this.dragging, note });
    this.root.dataset.count = String(++this.drawn);
    this.root.dataset.settings = JSON.stringify(frame.settings);
  }

  onFrame() {
    // a frame from Python
    const arrived = performance.now(), next = this.model.get("frame"), ch = this.channel;
    const answer = ch.answered(next);
    // while newer values wait (a drag the page already drew) an older answer is not drawn
    if (!ch.hasPending) this.paint(next);
    if (answer) this.showControls();  // the answer is in: every control shows the value Python kept
    // previews for this frame, unless they are on their way (or the start is being dragged)
    if (!this.dragging && !ch.hasPending && (!answer || !ch.sentWithPreviews)) ch.askPreviews();
    if (ch.hasPending) ch.flush();
    this.updateBusy();
    // how long the answer took (request to frame) and the drawing took, in ms
    this.root.dataset.timing = `${(arrived - ch.sentAt).toFixed(1)} ${(performance.now() - arrived).toFixed(1)}`;
  }

  request(name, value) {
    // a control moved: draw now what can be drawn (computed here, or a preview), tell Python
    const ch = this.channel;
    let next = name === "x0" ? this.pageFrames.withStart(this.frame, value) : null;
    if (!next && ch) next = this.fromPreview(name, value);
    if (next) this.paint(next);
    if (ch) ch.queue(name, value, !this.dragging);
    else if (next) this.showControls(withStart(this.model.get("controls"), value));  // no kernel to answer
    this.updateBusy();
  }

  fromPreview(name, value) {
    const ch = this.channel, hit = ch.findPreview(name, value, this.controls.spec(name));
    if (!hit) return null;
    const next = { ...hit.frame, count: -1, seq: this.frame.seq, error: "" };  // -1: not Python's yet
    next.runs = hit.frame.runs.map((r) => (r.same ? this.frame.runs.find((q) => q.name === r.name) : r));
    if (next.curve === null) next.curve = this.frame.curve;
    ch.previews = {};
    if (next.controls.map((c) => c.name).join() !== this.controls.names()) this.showControls(next.controls);
    return next;
  }

  dragTo(event) {
    if (this.frozen) return;  // no kernel and a start the page cannot compute: it stays put
    const { px, py, x0 } = this.plot.pointerToData(event, this.frame);
    this.plot.moveStart(px, py);
    this.request("x0", x0);
  }

  endDrag() {
    if (!this.dragging) return;
    this.dragging = false;
    // the ring followed the pointer; in 1-D the window may have moved under it since: draw
    // the start where the frame has it (with a kernel, its answer does this too)
    if (!this.channel) this.paint(this.frame);
    if (this.channel && this.channel.settled) this.channel.askPreviews();
    this.updateBusy();
  }

  startKey(event) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowDown: [0, -1], ArrowUp: [0, 1] };
    const move = moves[event.key], scene = this.scene;
    if (!move || this.frozen || !this.plot.sx || (scene.dim === 1 && move[0] === 0)) return;  // 1-D: left and right only
    event.preventDefault();
    const xlim = scene.dim === 2 ? scene.bounds[0] : this.frame.xlim;
    const fine = event.shiftKey ? 0.2 : 1;
    const x = this.frame.settings.x0.slice();
    x[0] += (move[0] * fine * (xlim[1] - xlim[0])) / 50;
    if (scene.dim === 2) x[1] += (move[1] * fine * (scene.bounds[1][1] - scene.bounds[1][0])) / 50;
    this.request("x0", x);
  }

  updateBusy() {
    const ch = this.channel;
    const idle = !ch || (ch.settled && (this.dragging || ch.previewsFor === ch.pyCount));
    this.root.dataset.busy = idle ? "0" : "1";
  }
}

function withStart(specs, x0) {
  // the controls with the start sliders ("x0[0]", "x0[1]") at x0
  return specs.map((c) => (c.name.startsWith("x0[") ? { ...c, value: x0[+c.name.slice(3, -1)] } : c));
}

// ------------------------------------------------------------------ entry points

let counter = 0;

function render({ model, el }) {
  const explorer = new Explorer(model, el, `gd${++counter}`, true);
  explorer.start();
  return () => explorer.controls.controls.clear();
}

class StaticModel {
  // the explorer's state stored in the page itself (no kernel): what a model would give
  constructor(state) { this.state = state; }
  get(name) { return this.state[name]; }
  on() {}
  send() {}
}

export function renderStatic(el, state) {
  // an explorer in a page with no kernel: its initial state is in the page; the start point
  // moves (computed here) and the other controls say they need a kernel
  const explorer = new Explorer(new StaticModel(state), el, `gds${++counter}`, false);
  explorer.start();
  return explorer;
}

export default { render };
