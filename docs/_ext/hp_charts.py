"""Show each chart's picture on its API page, from the gallery example that draws it.

``.. hospitalytics-chart:: admission_trend`` (used by the ``autosummary/chart.rst``
template of :mod:`hospitalytics.plots`) puts the first figure of the gallery example
``examples/plot_admission_trend.py`` on the page, as sphinx-gallery drew it at this build,
with a link to the example's code. A chart without an example of its own name gets the
first example that uses it, found through sphinx-gallery's backreferences
(``backreferences_all.json``). Nothing is drawn twice, and nothing is typed by hand.

A chart with no example at all fails the build (a warning, with ``-W``), so a new chart
cannot go without its picture. With the gallery switched off (``-D plot_gallery=0``) there
are no pictures to show and the directive shows nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def _gallery_paths(config) -> tuple[Path, Path, Path | None]:
    conf = config.sphinx_gallery_conf
    src = Path(conf["src_dir"])
    examples = (src / conf["examples_dirs"]).resolve()
    gallery = src / conf["gallery_dirs"]
    backrefs = Path(src, conf["backreferences_dir"]) if conf.get("backreferences_dir") else None
    return examples, gallery, backrefs


def example_for(name: str, fullname: str, config) -> str | None:
    """The stem of the gallery example that shows chart ``name`` (None if there is none)."""
    examples, _, backrefs = _gallery_paths(config)
    if (examples / f"plot_{name}.py").is_file():
        return f"plot_{name}"
    if backrefs is not None and (backrefs / "backreferences_all.json").is_file():
        table = json.loads((backrefs / "backreferences_all.json").read_text(encoding="utf-8"))
        for entry in sorted(table.get(fullname, [])):
            return Path(entry[0]).stem
    return None


class ChartDirective(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = {}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].rsplit(".", 1)[-1]
        fullname = f"hospitalytics.plots.{name}"
        config = self.env.config
        if config.sphinx_gallery_conf.get("plot_gallery") not in (True, "True"):
            return []
        stem = example_for(name, fullname, config)
        if stem is None:
            logger.warning("hospitalytics-chart: no gallery example draws %s; add "
                           "examples/plot_%s.py", fullname, name, location=self.get_location())
            return []
        _, gallery, _ = _gallery_paths(config)
        image = gallery / "images" / f"sphx_glr_{stem}_001.png"
        if not image.is_file():
            logger.warning("hospitalytics-chart: the example %s.py drew no figure (%s)",
                           stem, image, location=self.get_location())
            return []
        self.env.note_dependency(str(image))
        gallery_doc = Path(config.sphinx_gallery_conf["gallery_dirs"]).as_posix()
        rst = [
            f".. figure:: /{gallery_doc}/images/{image.name}",
            f"   :alt: the chart drawn by {name} on the bundled sample hospital",
            "   :class: hp-chart-figure",
            "",
            f"   ``{name}`` on the bundled sample hospital, drawn by the gallery example "
            f":ref:`sphx_glr_{gallery_doc.replace('/', '_')}_{stem}.py` (its code is there).",
        ]
        container = nodes.container(classes=["hp-chart"])
        self.state.nested_parse(StringList(rst, source=self.get_source_info()[0]),
                                self.content_offset, container)
        return [container]


def setup(app):
    app.add_directive("hospitalytics-chart", ChartDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
