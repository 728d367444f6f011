"""Run a notebook's sections one at a time, as a learner who jumps to a section does.

A notebook is split at its ``##`` headings. The code cells before the first ``##`` heading
are its **set-up cells** (imports, helpers); each ``##`` section is the code cells from its
heading to the next ``##`` heading. :class:`SectionKernel` runs the set-up cells and then one
section in a namespace that holds nothing else, and returns everything the learner would
read: printed text, rich text outputs and the texts of every figure drawn (titles, axis
labels, legends, annotations).

One kernel per notebook, not one per section (a kernel start costs about a second, and
the notebooks have about 60 sections). Before each section the kernel runs ``%reset -f``,
which deletes every name the user namespace holds, and then re-runs the set-up cells. For
the failures these tests look for — a section that uses a name (variable, function,
import) that only an earlier section defines, i.e. ``NameError`` and its cousins — this is
equivalent to a fresh kernel: after ``%reset -f`` a name is defined exactly when the set-up
cells or the section itself define it. What ``%reset`` does not undo is state *outside* the
namespace: modules already imported (``sys.modules``, re-imported cheaply by the set-up
cells), numpy's global random state, matplotlib's rcParams. Sections that draw random
numbers seed their own generators, so none of this changes which names exist.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))

CELL_TIMEOUT = 120  # seconds per cell; a whole notebook runs in well under that

_HEADING = re.compile(r"^## (?!#)", re.MULTILINE)


@dataclass
class Section:
    """One ``##`` section: its heading line and its code cells' sources."""

    notebook: str
    number: int  # 1-based position among the notebook's ## sections
    heading: str
    code: list[str] = field(default_factory=list)
    stored_text: str = ""  # the committed notebook's text outputs of these cells

    @property
    def slug(self) -> str:
        words = re.sub(r"[^A-Za-z0-9]+", "-", self.heading.removeprefix("## ")).strip("-")
        return f"{Path(self.notebook).stem[:2]}-s{self.number:02d}-{words[:40].rstrip('-')}"


def _text_of(outputs: list[dict]) -> str:
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        data = out.get("data", {})
        for mime in ("text/plain", "text/markdown"):
            if mime in data:
                parts.append(data[mime])
    return "".join(parts)


def split(path: Path) -> tuple[list[str], list[Section]]:
    """(set-up cells' sources, sections) of a notebook."""
    nb = nbformat.read(path, as_version=4)
    setup: list[str] = []
    sections: list[Section] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            headings = [ln for ln in cell.source.splitlines() if _HEADING.match(ln)]
            if headings:
                sections.append(Section(path.name, len(sections) + 1, headings[0].strip()))
            continue
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if sections:
            sections[-1].code.append(cell.source)
            sections[-1].stored_text += _text_of(cell.get("outputs", []))
        else:
            setup.append(cell.source)
    return setup, sections


def find_section(sections: list[Section], prefix: str) -> Section:
    """The one section whose heading starts with ``prefix`` (e.g. ``"## 4"``)."""
    hits = [s for s in sections if s.heading.startswith(prefix)
            and not s.heading[len(prefix):len(prefix) + 1].isdigit()]
    if len(hits) != 1:
        raise LookupError(f"section {prefix!r}: {len(hits)} headings match, "
                          f"among {[s.heading for s in sections]}")
    return hits[0]


# Installed once per kernel: every figure that is rendered (plt.show(), or the inline
# backend's flush at the end of a cell) first records its texts in a list that lives on
# the matplotlib module. The hook's code lives in a module of its own (not in the user
# namespace), so %reset -f cannot delete the names it uses.
_HOOK_SOURCE = r'''
import matplotlib as _mpl
import matplotlib.backend_bases as _bb
import struct as _struct
import zlib as _zlib

def _gdteach_figure_texts(fig):
    out = [t.get_text() for t in fig.texts]
    if getattr(fig, "_suptitle", None) is not None:
        out.append(fig._suptitle.get_text())
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()]
    for ax in fig.axes:
        out += [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        out += [ax.get_xlabel(), ax.get_ylabel(), *[t.get_text() for t in ax.texts]]
        leg = ax.get_legend()
        if leg is not None:
            out += [leg.get_title().get_text(), *[t.get_text() for t in leg.get_texts()]]
    return [t for t in out if t]

if not hasattr(_mpl, "_gdteach_texts"):
    _mpl._gdteach_texts = []

    def _chunk(kind, data):
        return (_struct.pack(">I", len(data)) + kind + data
                + _struct.pack(">I", _zlib.crc32(kind + data) & 0xFFFFFFFF))

    # a valid 1 × 1 PNG, written where the PNG would go: gdteach.plot.show reads its size
    _TINY_PNG = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", _struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
                 + _chunk(b"IDAT", _zlib.compress(b"\x00\x00")) + _chunk(b"IEND", b""))

    def _recording_print_figure(self, *args, **kwargs):
        # record the texts, lay the figure out (catching what a draw would raise: bad mathtext,
        # layout errors) but skip rasterising the PNG nobody looks at: the tests only need text
        _mpl._gdteach_texts.extend(_gdteach_figure_texts(self.figure))
        self.figure.draw_without_rendering()
        if args and hasattr(args[0], "write"):
            args[0].write(_TINY_PNG)

    _bb.FigureCanvasBase.print_figure = _recording_print_figure
'''
_FIGURE_HOOK = (
    "import sys as _sys, types as _types\n"
    "_hook = _types.ModuleType('_gdteach_figure_hook')\n"
    f"exec({_HOOK_SOURCE!r}, _hook.__dict__)\n"
    "_sys.modules['_gdteach_figure_hook'] = _hook\n"
    "del _sys, _types, _hook\n"
)

_FIGURE_TEXTS = "__import__('json').dumps(__import__('matplotlib')._gdteach_texts)"
_RESET = "__import__('matplotlib.pyplot').pyplot.close('all')\n__import__('matplotlib')._gdteach_texts.clear()"


class CellError(Exception):
    """A cell raised: the message names the cell and carries the traceback's last lines."""


@dataclass
class SectionRun:
    """What a learner reads after running the set-up cells and one section."""

    printed: str  # stdout, stderr, text/plain and text/markdown of the section's cells
    figure_texts: list[str]

    @property
    def all_text(self) -> str:
        return self.printed + "\n" + "\n".join(self.figure_texts)


class SectionKernel:
    """A python3 kernel in the notebook's folder that runs set-up cells + one section."""

    def __init__(self, path: Path) -> None:
        from jupyter_client.manager import start_new_kernel

        self.path = path
        self.setup, self.sections = split(path)
        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(path.parent),
                                            startup_timeout=60)
        self._execute(_FIGURE_HOOK, "figure hook")

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def _execute(self, code: str, where: str, sink: list[str] | None = None) -> dict:
        def hook(msg: dict) -> None:
            kind, content = msg["msg_type"], msg["content"]
            if sink is None:
                return
            if kind == "stream":
                sink.append(content["text"])
            elif kind in ("display_data", "execute_result"):
                for mime in ("text/plain", "text/markdown"):
                    if mime in content["data"]:
                        sink.append(content["data"][mime] + "\n")

        for _ in range(2):
            reply = self.kc.execute_interactive(
                code, timeout=CELL_TIMEOUT, output_hook=hook, store_history=False, allow_stdin=False,
                user_expressions={"texts": _FIGURE_TEXTS} if where == "figure texts" else None,
            )
            content = reply["content"]
            # after a cell raised, ipykernel aborts what reaches it while it still clears its
            # queue (status "aborted", nothing run): on a loaded machine that was the next
            # section's reset (lowest versions, CI); sent once more, it runs
            if content["status"] != "aborted":
                break
        if content["status"] != "ok":
            tb = "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", line) for line in content.get("traceback", []))
            raise CellError(f"{self.path.name}, {where}: {content.get('ename')}: "
                            f"{content.get('evalue')}\n{tb[-3000:]}")
        return content

    def run(self, section: Section, code: list[str] | None = None) -> SectionRun:
        """Fresh namespace, set-up cells, then the section's cells (or ``code`` in their
        place, e.g. an edited copy). Raises :class:`CellError` naming the failing cell."""
        self._execute(_RESET, "reset")
        self._execute("%reset -f", "reset")
        for i, src in enumerate(self.setup):
            self._execute(src, f"set-up cell {i + 1}")
        printed: list[str] = []
        for i, src in enumerate(section.code if code is None else code):
            self._execute(src, f"{section.heading!r}, code cell {i + 1}", printed)
        reply = self._execute("", "figure texts")
        texts = ast.literal_eval(reply["user_expressions"]["texts"]["data"]["text/plain"])
        import json

        return SectionRun("".join(printed), json.loads(texts))


class KernelPool:
    """One kernel per notebook, started on first use and kept until :meth:`close` (the session
    fixture in ``tests/conftest.py`` shares one pool between the section and learner-edit tests,
    so each notebook's kernel starts once per test session)."""

    def __init__(self) -> None:
        self.kernels: dict[Path, SectionKernel] = {}

    def get(self, path: Path) -> SectionKernel:
        if path not in self.kernels:
            self.kernels[path] = SectionKernel(path)
        return self.kernels[path]

    def close(self) -> None:
        for kernel in self.kernels.values():
            kernel.close()
        self.kernels.clear()
