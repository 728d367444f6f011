"""An explorer as self-contained HTML, for pages with no kernel and no network.

A notebook stores each explorer's output twice: the widget view, which JupyterLab draws
with a live kernel, and this HTML, which an HTML export, a slide deck or the site shows
instead (nbconvert and myst-nb skip a widget view whose state the notebook does not store).
The HTML carries ``explorer.js`` itself (as a ``data:`` module: nothing to fetch) and the
explorer's state as it was drawn (scene, controls, frame), and calls its
``renderStatic``: the start point moves with the mouse or the arrow keys, computed in the
page with the same rules as :func:`gdteach.run`; the other controls say they need a kernel.
No id is generated: the script finds its explorer by its own place in the page, so the
stored output is the same on every run.

>>> html = static_html({"scene": {}, "controls": [], "frame": {}}, "export default {};")
>>> html.startswith('<div class="gdteach-static-explorer">') and "renderStatic" in html
True
>>> "</script>" in static_html({"frame": {"title": "</script>"}}, "")  # data stays data
True
>>> static_html({"frame": {"title": "</script>"}}, "").count("</script>")
3
"""

from __future__ import annotations

import base64
import json
from typing import Any

__all__ = ["static_html", "state_json"]

_BOOT = """(function (script) {
  var box = script.parentElement;
  if (box.dataset.started) return;
  box.dataset.started = "1";
  var state = JSON.parse(box.querySelector("script.gd-state").textContent);
  var code = box.querySelector("script.gd-code").textContent.trim();
  import("data:text/javascript;charset=utf-8;base64," + code).then(function (module) {
    module.renderStatic(box.querySelector(".gd-mount"), state);
  }).catch(function (error) {
    box.querySelector(".gd-mount").textContent = "This explorer could not start: " + error;
  });
})(document.currentScript);"""


def state_json(state: dict[str, Any]) -> str:
    """``state`` as JSON that is safe inside a ``<script>`` element: every ``<`` is written
    ``\\u003c`` (still the same JSON), so no text in it can close the element.

    >>> state_json({"title": "a </script> b"})
    '{"title": "a \\\\u003c/script> b"}'
    """
    return json.dumps(state, allow_nan=False, sort_keys=True).replace("<", "\\u003c")


def static_html(state: dict[str, Any], esm: str) -> str:
    """The explorer with ``state`` (``{"scene", "controls", "frame"}``) drawn by the module
    source ``esm`` (``explorer.js``), as one HTML fragment."""
    code = base64.b64encode(esm.encode("utf-8")).decode("ascii")
    return (f'<div class="gdteach-static-explorer">'
            f'<script type="application/json" class="gd-state">{state_json(state)}</script>'
            f'<script type="text/plain" class="gd-code">{code}</script>'
            f'<div class="gd-mount"></div>'
            f"<script>{_BOOT}</script></div>")
