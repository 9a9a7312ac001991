"""Chinese search that runs in the browser.

Sphinx 9's Chinese search language (``sphinx.search.zh.SearchChinese``) ships the English
Snowball stemmer's JavaScript (it stems the Latin words of Chinese pages) but ends
``language_data.js`` with ``window.Stemmer = ChineseStemmer;``, a name no script defines:
the search page stops with ``ReferenceError: ChineseStemmer is not defined`` and never
shows a result. This extension registers the same search language with the stemmer code
named as it is defined (``EnglishStemmer``). Everything else, jieba's word splitting of the
Chinese text included, is Sphinx's own. ``docs/check_site.py`` checks the built scripts.
"""

from __future__ import annotations

from typing import Any

from sphinx.search import languages
from sphinx.search.zh import SearchChinese


class ChineseSearch(SearchChinese):
    """:class:`sphinx.search.zh.SearchChinese` whose browser stemmer is the one it ships."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        from sphinx.search import _MINIFIED_JS_PATH

        code = [
            (_MINIFIED_JS_PATH / name).read_text(encoding="utf-8")
            for name in ("base-stemmer.js", "english-stemmer.js")
        ]
        self.js_stemmer_code = "\n".join([*code, "window.Stemmer = EnglishStemmer;"])
        self.js_stemmer_rawcode = ""


def setup(app: Any) -> dict[str, Any]:
    import logging

    logging.getLogger("jieba").setLevel(logging.WARNING)
    languages["zh"] = ChineseSearch
    return {"parallel_read_safe": True, "parallel_write_safe": True}
