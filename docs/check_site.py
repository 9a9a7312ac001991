"""Checks of the built HTML site that a ``-W`` build cannot see (run by ``nox -s docs``).

* ``_static/language_data.js`` assigns to ``window.Stemmer`` a stemmer the same file defines
  (Sphinx 9's Chinese search assigned an undefined ``ChineseStemmer``, so the search page
  never returned a result);
* the search index holds Chinese words and English words of the pages (``低保``,
  ``最低生活保障`` split by jieba, and ``assess``), so a search for them finds pages;
* the English build (``en/``) speaks English: its pages are marked ``lang="en"`` and carry
  none of Sphinx's Chinese labels (参数, 返回类型, 源代码, 搜索), which a one-language build
  put on English pages before;
* every page that links to its other-language counterpart links to a page that exists.

Usage: ``python docs/check_site.py docs/_build/html`` (the Chinese build, with the English
build in its ``en/``); exit 1 with one line per problem.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

#: The words each build's search index must hold, and the build's directory in the site.
INDEXED = {
    "": ("低保", "最低", "保障", "assess", "household"),
    "en": ("assess", "household", "dibao"),
}
#: Sphinx labels in Chinese that must not appear on an English page.
CHINESE_LABELS = (">参数<", ">返回类型<", "[源代码]", 'placeholder="搜索', "在 0.1 版本")


def problems(site: Path) -> list[str]:
    out: list[str] = []
    for sub, words in INDEXED.items():
        out += [f"{sub or '.'}/{p}" for p in _build_problems(site / sub, words)]
    if not (site / "en" / "index.html").is_file():
        out.append("en/index.html is missing: the English build did not run")
    for page in (site / "en").rglob("*.html"):
        name = page.relative_to(site).as_posix()
        if name.startswith("en/_modules/"):
            continue
        html = page.read_text(encoding="utf-8", errors="replace")
        if not re.search(r'<html[^>]*\blang="en"', html):
            out.append(f'{name} is not marked <html lang="en">')
        for label in CHINESE_LABELS:
            if label in html:
                out.append(f"{name} shows the Chinese label {label!r}")
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8", errors="replace")
        for href in re.findall(r'href="((?:\.\./)*(?:zh|en)/[^"#]+\.html)', html):
            if not (page.parent / href).resolve().is_file():
                out.append(f"{page.relative_to(site)} links to {href}, which does not exist")
    return out


def _build_problems(site: Path, words: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    data = (site / "_static" / "language_data.js").read_text(encoding="utf-8")
    assigned = re.findall(r"window\.Stemmer\s*=\s*(\w+)\s*;", data)
    for name in assigned:
        if not re.search(rf"\bvar\s+{name}\s*=|\bfunction\s+{name}\s*\(", data):
            out.append(f"language_data.js assigns window.Stemmer = {name}, which it never defines")
    if not assigned and "Stemmer" not in data:
        out.append("language_data.js defines no Stemmer")
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for word in words:
        if word not in index["terms"]:
            out.append(f"the search index has no entry for {word!r}")
    return out


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "docs/_build/html")
    found = problems(site)
    for line in found:
        print(f"docs site: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
