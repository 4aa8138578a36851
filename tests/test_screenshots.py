"""The README's pictures are real: regenerated from the renderers, they match what is committed."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def _screenshots():
    spec = importlib.util.spec_from_file_location("screenshots", DOCS / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_svgs_match_the_current_output():
    for name, svg in _screenshots().render_all().items():
        path = DOCS / f"{name}.svg"
        assert path.exists(), f"{path.name} missing: run python docs/screenshots.py"
        assert path.read_text(encoding="utf-8") == svg, f"{path.name} is stale: run python docs/screenshots.py"


def test_the_readme_shows_every_picture():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for name in _screenshots().render_all():
        assert f"docs/{name}.svg" in readme
