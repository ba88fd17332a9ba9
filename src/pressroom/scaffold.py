"""`pressroom theme new NAME`: a child theme of the default, its override points commented."""

from __future__ import annotations

from pathlib import Path

from pressroom.themes import DEFAULT_THEME, THEMES_FOLDER, ThemeError, builtin_themes

MANIFEST = '''# Theme "{name}": a child of "{parent}". Only what you put here changes;
# every template and stylesheet you do not copy comes from "{parent}".
# Build with: pressroom build --theme {name}
name = "{name}"
parent = "{parent}"

[stylesheets]
# Extra CSS per format, loaded after the parent's (so your rules win). To replace one of
# the parent's files instead, put a file at the same path here (e.g. css/base.css).
epub = ["css/{name}.css"]
pdf = ["css/{name}.css"]
screen = ["css/{name}.css"]
anki = ["css/{name}.css"]

[options]
# The look every format shares, in one place; stylesheets read them as var(--accent),
# var(--accent-dark) and var(--body-font). Uncomment to change EPUB, PDF, site and cards.
# accent = "#7a1f5c"
# accent_dark = "#e6a8d0"
# body_font = '"DejaVu Sans", Arial, sans-serif'
'''

STYLESHEET = '''/* Rules for every format of theme "{name}", after the parent's stylesheets.
   Override points (see docs/themes.md for every template and class):
   h1.question        the question heading of each article
   .answer            the answer body; .answer pre, .answer table for code and tables
   aside.related      the related-questions list
   .cover, nav.contents (PDF), .titlepage (EPUB), .card-front/.card-back (Anki) */
'''

TEMPLATES_README = '''Copy a template of the parent here, at the same path, to replace it; e.g.
templates/article.html.j2 (the article every format shows) or templates/epub/chapter.xhtml.j2.
docs/themes.md lists each template, the exporter that asks for it and its variables.
'''


def new_theme(project_dir: Path, name: str, parent: str = DEFAULT_THEME) -> Path:
    """Create `<project>/themes/<name>/` as a child of `parent`; refuse an existing folder
    or the name of an installed theme (a child must not shadow it)."""
    if not name or "/" in name or name.startswith("."):
        raise ThemeError(f"theme name {name!r} must be a plain folder name")
    if name in builtin_themes():
        raise ThemeError(f"{name!r} is an installed theme; choose another name for a child")
    folder = project_dir / THEMES_FOLDER / name
    if folder.exists():
        raise ThemeError(f"{folder} already exists")
    (folder / "css").mkdir(parents=True)
    (folder / "templates").mkdir()
    (folder / "theme.toml").write_text(MANIFEST.format(name=name, parent=parent),
                                       encoding="utf-8")
    (folder / "css" / f"{name}.css").write_text(STYLESHEET.format(name=name), encoding="utf-8")
    (folder / "templates" / "README.txt").write_text(TEMPLATES_README, encoding="utf-8")
    return folder
