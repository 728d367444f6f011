"""explorer.js reads as STYLE.md asks: no function longer than about 60 lines.

The functions are found by a real parser: acorn, the one Node.js ships (used through
``node --expose-internals``, so nothing is installed). Without Node.js, or with a Node.js
whose acorn is elsewhere, the test is skipped with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

EXPLORER_JS = Path(__file__).resolve().parents[1] / "gdteach" / "explorer.js"
LONGEST = 60

#: every function of an ES module (declarations, methods, arrows) with its first and last line
LENGTHS = r"""
const acorn = require("internal/deps/acorn/acorn/dist/acorn");
const walk = require("internal/deps/acorn/acorn-walk/dist/walk");
const source = require("fs").readFileSync(process.argv[1], "utf8");
const tree = acorn.parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true });
const out = [];
walk.ancestor(tree, {
  Function(node, _, ancestors) {
    const named = [...ancestors].reverse().find((a) => a !== node && (a.id || a.key));
    const name = node.id ? node.id.name : named ? (named.id || named.key).name : "(anonymous)";
    out.push([name, node.loc.start.line, node.loc.end.line]);
  },
});
console.log(JSON.stringify(out));
"""


def _functions() -> list[tuple[str, int, int]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (its acorn parser finds explorer.js's functions)")
    done = subprocess.run([node, "--expose-internals", "-e", LENGTHS, str(EXPLORER_JS)],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 and "Cannot find module" in done.stderr:
        pytest.skip(f"this Node.js ships no acorn at the path used: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    return [tuple(f) for f in json.loads(done.stdout)]


def test_no_function_in_explorer_js_is_longer_than_about_60_lines():
    functions = _functions()
    # the parser saw the module: the classes' methods and the rules are among them
    names = {name for name, _, _ in functions}
    assert {"paint", "withStart", "makeRule", "run", "adamStep"} <= names, sorted(names)
    long = [(name, first, last - first + 1) for name, first, last in functions if last - first + 1 > LONGEST]
    assert not long, f"functions longer than {LONGEST} lines (name, first line, lines): {long}"
