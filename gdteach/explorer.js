// gdteach explorers: the page's side of gdteach.widgets (an anywidget ES module).
//
// Python computes every trajectory; this module only draws what it receives:
//   scene    (sent once)  contours or the 1-D objective's labels, the minimum, the plot window
//   controls (per change) labelled keyboard controls: sliders, a select, checkboxes
//   frame    (per change) paths, losses, axis limits, titles, legend, summary
// A control change (or a drag of the start point) is sent back as {values, seq}: at once
// when nothing is waiting, else coalesced and sent when the answer arrives, at most once
// per animation frame, so the last value is always the one drawn.

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
`;

let counter = 0;

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

// ------------------------------------------------------------------ scales and ticks

function scale(lim, lo, hi, log) {
  // data -> pixels over [lo, hi]; pixels are clamped so far-away points stay drawable
  const f = log ? Math.log10 : (v) => v;
  const a = f(lim[0]), b = f(lim[1]);
  const map = (v) => {
    if (v === null || !Number.isFinite(v) || (log && v <= 0)) return null;
    const p = lo + ((f(v) - a) / (b - a)) * (hi - lo);
    return Math.max(-1e4, Math.min(1e4, p));
  };
  map.invert = (p) => {
    const t = a + ((p - lo) / (hi - lo)) * (b - a);
    return log ? 10 ** t : t;
  };
  return map;
}

function linearTicks(lo, hi, n = 5) {
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const step = (r >= 7.5 ? 10 : r >= 3.5 ? 5 : r >= 1.5 ? 2 : 1) * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  }
  return out;
}

const SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

function logTicks(lo, hi) {
  const a = Math.round(Math.log10(lo)), b = Math.round(Math.log10(hi));
  const every = Math.max(1, Math.ceil((b - a) / 6));
  const out = [];
  for (let k = a; k <= b; k += every) out.push(k);
  return out.map((k) => [10 ** k, k === 0 ? "1" : k === 1 ? "10" : "10" + String(k).split("").map((c) => SUP[c]).join("")]);
}

function fmt(v) {
  return String(+(+v).toPrecision(4));
}

function axes(group, box, xlim, ylim, ylog, labels) {
  // frame, grid, ticks and labels of one panel, redrawn when its limits change
  group.replaceChildren();
  const sx = scale(xlim, box.x, box.x + box.w, false);
  const sy = scale(ylim, box.y + box.h, box.y, ylog);
  for (const v of linearTicks(xlim[0], xlim[1])) {
    const x = sx(v);
    svg("line", { x1: x, x2: x, y1: box.y, y2: box.y + box.h, stroke: "#e4e4e4" }, group);
    svg("text", { x, y: box.y + box.h + 15, "text-anchor": "middle" }, group).textContent = fmt(v);
  }
  const yt = ylog ? logTicks(ylim[0], ylim[1]) : linearTicks(ylim[0], ylim[1]).map((v) => [v, fmt(v)]);
  for (const [v, text] of yt) {
    const y = sy(v);
    svg("line", { x1: box.x, x2: box.x + box.w, y1: y, y2: y, stroke: "#e4e4e4" }, group);
    svg("text", { x: box.x - 6, y: y + 4, "text-anchor": "end" }, group).textContent = text;
  }
  svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: "#888" }, group);
  svg("text", { x: box.x + box.w / 2, y: box.y + box.h + 32, "text-anchor": "middle" }, group).textContent = labels[0];
  const yl = svg("text", { x: 0, y: 0, "text-anchor": "middle",
    transform: `translate(${box.x - 46},${box.y + box.h / 2}) rotate(-90)` }, group);
  yl.textContent = labels[1];
}

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

// ------------------------------------------------------------------ controls

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
    if (now !== spec.options.join("|")) {
      c.input.replaceChildren(...spec.options.map((o) => html("option", { value: o }, null, o)));
    }
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

// ------------------------------------------------------------------ the view

function render({ model, el }) {
  const uid = `gd${++counter}`;
  // keys pressed in the explorer belong to its controls, not to JupyterLab's notebook shortcuts
  const root = html("div", { class: "gd-root", "data-lm-suppress-shortcuts": "true" }, el);
  html("style", {}, root, CSS);
  // and the notebook does not see them either (it would move the focus back to a cell)
  root.addEventListener("keydown", (event) => event.stopPropagation());
  const bar = html("div", { class: "gd-controls", role: "group", "aria-label": "explorer controls" }, root);
  const plot = svg("svg", { class: "gd-plot", viewBox: `0 0 ${W} ${H}`, role: "img" }, root);
  const legend = html("div", { class: "gd-legend" }, root);
  const summary = html("div", { class: "gd-summary", role: "status", "aria-live": "polite" }, root);

  const defs = svg("defs", {}, plot);
  for (const [name, box] of [["left", LEFT], ["right", RIGHT]]) {
    const clip = svg("clipPath", { id: `${uid}-${name}` }, defs);
    svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, clip);
  }
  svg("rect", { x: 0, y: 0, width: W, height: H, fill: "white" }, plot);
  const leftAxes = svg("g", {}, plot);
  const hit = svg("rect", { class: "gd-hit", x: LEFT.x, y: LEFT.y, width: LEFT.w, height: LEFT.h, fill: "transparent" }, plot);
  const backdrop = svg("g", { "clip-path": `url(#${uid}-left)`, "pointer-events": "none" }, plot);
  const paths = svg("g", { class: "gd-paths", "clip-path": `url(#${uid}-left)`, "pointer-events": "none" }, plot);
  const minimum = svg("path", { d: "", fill: "gold", stroke: "black", "stroke-width": 0.8, "pointer-events": "none" }, plot);
  const start = svg("g", { class: "gd-start", tabindex: 0, role: "button" }, plot);
  svg("circle", { r: 14, fill: "transparent" }, start);
  svg("circle", { class: "gd-ring", r: 7, fill: "none", stroke: "black", "stroke-width": 1.8 }, start);
  const rightAxes = svg("g", {}, plot);
  const losses = svg("g", { class: "gd-losses", "clip-path": `url(#${uid}-right)` }, plot);
  const marks = svg("g", {}, plot);
  const leftTitle = svg("text", { class: "gd-title", x: LEFT.x + LEFT.w / 2, y: 24, "text-anchor": "middle" }, plot);
  const rightTitle = svg("text", { class: "gd-title", x: RIGHT.x + RIGHT.w / 2, y: 24, "text-anchor": "middle" }, plot);

  let scene = {}, frame = {}, sx = null, sy = null, leftKey = "", rightKey = "";
  const controls = new Map();

  // ---- talking to Python: one request in flight, the newest values queued
  let seq = 0, awaiting = null, sentAt = -1e9, scheduled = false, sentWithPreviews = true;
  const pending = {};
  let lastMoved = null;
  // frames gdteach computed for the values one key press away (see OptimizerRaceExplorer._previews)
  let previews = {}, previewsFor = -1, pyCount = -1, drawn = 0;
  function request(name, value) {
    const hit = findPreview(name, value);
    if (hit) {
      value = hit.value;  // exactly the value the preview was computed for
      const next = { ...hit.frame, count: -1, seq: frame.seq, error: "" };  // -1: not Python's yet
      next.runs = hit.frame.runs.map((r) => (r.same ? frame.runs.find((q) => q.name === r.name) : r));
      if (next.curve === null) next.curve = frame.curve;
      previews = {};
      if (next.controls.map((c) => c.name).join() !== Array.from(controls.keys()).join()) drawControls(next.controls);
      paint(next);
    }
    pending[name] = value;
    lastMoved = name;
    flush();
  }
  function findPreview(name, value) {
    const spec = controls.has(name) ? controls.get(name).spec : null;
    for (const entry of previews[name] || []) {
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
  function updateBusy() {
    const idle = awaiting === null && !Object.keys(pending).length && (dragging || previewsFor === pyCount);
    root.dataset.busy = idle ? "0" : "1";
  }
  model.on("msg:custom", (msg) => {
    const settled = awaiting === null && !Object.keys(pending).length;
    if (msg && msg.previews && msg.count === pyCount && frame.count === pyCount && settled) {
      previews = msg.previews;
      previewsFor = msg.count;
      updateBusy();
    }
  });
  function flush() {
    if (!Object.keys(pending).length) return;
    const now = performance.now();
    const busy = awaiting !== null && now - sentAt < 2000;
    if (busy || now - sentAt < 15) {
      if (!scheduled) { scheduled = true; requestAnimationFrame(() => { scheduled = false; flush(); }); }
      return;
    }
    const values = { ...pending };
    for (const k of Object.keys(pending)) delete pending[k];
    awaiting = ++seq;
    sentAt = now;
    root.dataset.busy = "1";
    // while the start is dragged no previews: the kernel answers the next move sooner
    sentWithPreviews = !dragging;
    model.send({ values, seq, previews: sentWithPreviews });
  }

  // ---- scene: drawn once (the contours never change)
  function drawScene() {
    scene = model.get("scene");
    root.dataset.objective = scene.title;
    plot.setAttribute("aria-label", `${scene.title}: paths on the left, loss per update on the right`);
    backdrop.replaceChildren();
    leftKey = "";
    if (scene.dim === 2) {
      const [bx, by] = scene.bounds;
      const px = (t) => LEFT.x + (t / 1000) * LEFT.w, py = (t) => LEFT.y + LEFT.h - (t / 1000) * LEFT.h;
      for (const level of scene.contours) {
        let d = "";
        for (const line of level.lines) {
          for (let i = 0; i < line.length; i += 2) d += (i ? "L" : "M") + px(line[i]).toFixed(1) + " " + py(line[i + 1]).toFixed(1);
        }
        svg("path", { d, fill: "none", stroke: level.color, "stroke-width": 0.9, opacity: 0.75 }, backdrop);
      }
      sx = scale(bx, LEFT.x, LEFT.x + LEFT.w, false);
      sy = scale(by, LEFT.y + LEFT.h, LEFT.y, false);
      axes(leftAxes, LEFT, bx, by, false, [scene.xlabel, scene.ylabel]);
      leftKey = JSON.stringify([bx, by]);
      placeMinimum();
    }
  }

  function placeMinimum() {
    const m = scene.minimum;
    if (!m || !sx) { minimum.setAttribute("d", ""); return; }
    const [x, y] = [sx(m[0]), sy(m[1])];
    if (x === null || y === null) { minimum.setAttribute("d", ""); return; }
    let d = "";
    for (let k = 0; k < 10; k++) {
      const r = k % 2 ? 3.2 : 8, a = -Math.PI / 2 + (k * Math.PI) / 5;
      d += (k ? "L" : "M") + (x + r * Math.cos(a)).toFixed(1) + " " + (y + r * Math.sin(a)).toFixed(1);
    }
    minimum.setAttribute("d", d + "Z");
  }

  // ---- controls: rebuilt when their set changes, else only their values move
  function drawControls(specs = model.get("controls")) {
    const key = specs.map((s) => s.name + ":" + s.kind).join("|");
    if (key !== Array.from(controls.values()).map((c) => c.spec.name + ":" + c.spec.kind).join("|")) {
      const focused = document.activeElement && document.activeElement.closest(".gd-control");
      const focusName = focused && bar.contains(focused) ? focused.dataset.control : null;
      controls.clear();
      bar.replaceChildren();
      for (const spec of specs) {
        const c = buildControl(spec, uid, request);
        controls.set(spec.name, c);
        bar.appendChild(c.box);
      }
      const again = focusName && controls.get(focusName);
      if (again) (again.input || again.boxes[0]).focus();
      return;
    }
    const busy = awaiting !== null;
    for (const spec of specs) {
      // a control the user is still moving keeps its own value until its answer is in
      const mine = spec.name in pending || (busy && spec.name === lastMoved);
      setControl(controls.get(spec.name), spec, !mine);
    }
  }

  // ---- a frame: paths, start, losses, titles, legend, summary
  function drawFrame() {
    const arrived = performance.now();
    const next = model.get("frame");
    pyCount = next.count;
    const answer = awaiting !== null && next.seq >= awaiting;
    if (answer) awaiting = null;
    paint(next);
    if (answer) drawControls();  // the answer is in: every control shows the value Python kept
    // previews for this frame, unless they are on their way (or the start is being dragged)
    if (!dragging && !Object.keys(pending).length && (!answer || !sentWithPreviews)) {
      model.send({ previews: true });
    }
    if (Object.keys(pending).length) flush();
    updateBusy();
    // how long the answer took (request to frame) and the drawing took, in ms
    root.dataset.timing = `${(arrived - sentAt).toFixed(1)} ${(performance.now() - arrived).toFixed(1)}`;
  }

  function paint(next) {
    frame = next;
    if (scene.dim === 1) {
      const key = JSON.stringify([frame.xlim, frame.ylim]);
      sx = scale(frame.xlim, LEFT.x, LEFT.x + LEFT.w, false);
      sy = scale(frame.ylim, LEFT.y + LEFT.h, LEFT.y, false);
      if (key !== leftKey) {
        axes(leftAxes, LEFT, frame.xlim, frame.ylim, false, [scene.xlabel, scene.ylabel]);
        backdrop.replaceChildren();
        const [cx, cy] = frame.curve;
        svg("path", { d: pathData(cx.map(sx), cy.map(sy)), fill: "none", stroke: "#595959", "stroke-width": 1.8 }, backdrop);
        leftKey = key;
        placeMinimum();
      }
    }
    const rk = JSON.stringify([frame.steps_lim, frame.loss_lim]);
    const lx = scale(frame.steps_lim, RIGHT.x, RIGHT.x + RIGHT.w, false);
    const ly = scale(frame.loss_lim, RIGHT.y + RIGHT.h, RIGHT.y, scene.loss_log);
    if (rk !== rightKey) {
      axes(rightAxes, RIGHT, frame.steps_lim, frame.loss_lim, scene.loss_log, ["update (step)", scene.loss_label]);
      rightKey = rk;
    }
    paths.replaceChildren();
    losses.replaceChildren();
    marks.replaceChildren();
    legend.replaceChildren();
    const legendItems = [];
    // the thickest (the tuned optimizer) is drawn last, on top; the legend keeps the race order
    for (const run of [...frame.runs].sort((a, b) => a.width - b.width)) {
      const dash = DASHES[run.dash] || "";
      const xs = run.px.map(sx), ys = run.py.map(sy);
      const g = svg("g", { "data-run": run.name }, paths);
      const line = svg("path", {
        class: "gd-path", d: pathData(xs, ys), fill: "none", stroke: run.color,
        "stroke-width": run.width, "stroke-dasharray": dash, "stroke-linejoin": "round",
      }, g);
      const last = lastFinite(run.px, run.py);
      line.dataset.first = `${fmt(run.px[0])},${fmt(run.py[0])}`;
      line.dataset.last = last < 0 ? "" : `${fmt(run.px[last])},${fmt(run.py[last])}`;
      line.dataset.points = String(run.px.length);
      line.dataset.xlim = (scene.dim === 2 ? scene.bounds[0] : frame.xlim).join(",");
      line.dataset.ylim = (scene.dim === 2 ? scene.bounds[1] : frame.ylim).join(",");
      line.dataset.box = [LEFT.x, LEFT.y, LEFT.w, LEFT.h].join(",");
      svg("path", { d: dotsData(xs, ys, run.width > 2 ? 3.2 : 2.6, run.markevery), fill: run.color, stroke: "white", "stroke-width": 0.6 }, g);
      if (run.arrows) {
        const [shafts, heads] = arrowData(xs, ys);
        svg("path", { d: shafts, stroke: run.color, "stroke-width": 0.9, fill: "none" }, g);
        svg("path", { d: heads, fill: run.color }, g);
      }
      const steps = run.loss.map((_, i) => lx(i));
      const ls = run.loss.map(ly);
      svg("path", {
        class: "gd-loss", d: pathData(steps, ls), fill: "none", stroke: run.color,
        "stroke-width": run.width, "stroke-dasharray": dash, "data-run": run.name,
      }, losses);
      if (run.loss.length <= 31) svg("path", { d: dotsData(steps, ls, 2.4, 1), fill: run.color }, losses);
      if (run.diverged) {
        const k = lastFinite(steps, ls.map((v) => (v === null ? null : Math.max(v, RIGHT.y))));
        if (k >= 0) {
          const x = steps[k], y = Math.max(ls[k] ?? RIGHT.y, RIGHT.y);
          svg("path", { d: `M${x - 5} ${y - 5}L${x + 5} ${y + 5}M${x - 5} ${y + 5}L${x + 5} ${y - 5}`, stroke: run.color, "stroke-width": 2 }, marks);
        }
      }
      const item = html("span", { "data-run": run.name });
      legendItems[frame.runs.indexOf(run)] = item;
      const key = svg("svg", { width: 30, height: 10, "aria-hidden": "true" }, item);
      svg("line", { x1: 1, x2: 29, y1: 5, y2: 5, stroke: run.color, "stroke-width": Math.min(run.width, 2.6), "stroke-dasharray": dash }, key);
      item.appendChild(document.createTextNode(run.label));
    }
    legend.replaceChildren(...legendItems);
    const [x0, y0] = [sx(frame.start[0]), sy(frame.start[1])];
    if (!dragging && x0 !== null && y0 !== null) start.setAttribute("transform", `translate(${x0},${y0})`);
    const where = frame.start.map(fmt).join(", ");
    start.setAttribute("aria-label", `start point (${where}): drag it, or use the arrow keys`);
    leftTitle.textContent = frame.title;
    rightTitle.textContent = frame.loss_title;
    summary.replaceChildren();
    summary.appendChild(document.createTextNode(frame.summary));
    if (frame.error) html("div", { class: "gd-error" }, summary, frame.error);
    root.dataset.count = String(++drawn);
    root.dataset.settings = JSON.stringify(frame.settings);
  }

  // ---- the start point: drag it, click the plot, or move it with the arrow keys
  let dragging = false;
  function startFromPointer(event) {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(plot.getScreenCTM().inverse());
    const px = Math.max(LEFT.x, Math.min(LEFT.x + LEFT.w, point.x));
    const py = Math.max(LEFT.y, Math.min(LEFT.y + LEFT.h, point.y));
    const x = sx.invert(px);
    if (scene.dim === 2) {
      start.setAttribute("transform", `translate(${px},${py})`);
      request("x0", [x, sy.invert(py)]);
    } else {
      const [cx, cy] = frame.curve;
      let i = 1;
      while (i < cx.length - 1 && cx[i] < x) i++;
      const t = (x - cx[i - 1]) / (cx[i] - cx[i - 1]);
      const y = cy[i - 1] + t * (cy[i] - cy[i - 1]);
      const yp = sy(y);
      start.setAttribute("transform", `translate(${px},${yp === null ? py : yp})`);
      request("x0", [x]);
    }
  }
  for (const target of [start, hit]) {
    target.addEventListener("pointerdown", (event) => {
      if (!sx) return;
      dragging = true;
      target.setPointerCapture(event.pointerId);
      start.focus({ preventScroll: true });
      startFromPointer(event);
      event.preventDefault();
    });
    target.addEventListener("pointermove", (event) => { if (dragging) startFromPointer(event); });
    const end = () => {
      if (!dragging) return;
      dragging = false;
      if (awaiting === null && !Object.keys(pending).length) model.send({ previews: true });
      updateBusy();
    };
    target.addEventListener("pointerup", end);
    target.addEventListener("pointercancel", end);
  }
  start.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowDown: [0, -1], ArrowUp: [0, 1] };
    const move = moves[event.key];
    if (!move || !sx || (scene.dim === 1 && move[0] === 0)) return;  // 1-D: left and right only
    event.preventDefault();
    const xlim = scene.dim === 2 ? scene.bounds[0] : frame.xlim;
    const fine = event.shiftKey ? 0.2 : 1;
    const x = frame.settings.x0.slice();
    x[0] += move[0] * fine * (xlim[1] - xlim[0]) / 50;
    if (scene.dim === 2) x[1] += move[1] * fine * (scene.bounds[1][1] - scene.bounds[1][0]) / 50;
    frame.settings.x0 = x;
    request("x0", x);
  });

  model.on("change:scene", () => { drawScene(); paint(frame); });
  model.on("change:controls", () => drawControls());
  model.on("change:frame", drawFrame);
  drawScene();
  drawControls();
  drawFrame();
  return () => { controls.clear(); };
}

export default { render };
