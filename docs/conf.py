"""Sphinx configuration of the civilaffairs site.

One site, two builds, so that each reader meets one language throughout:

* the Chinese build (``sphinx-build docs OUT``, ``language = "zh_CN"``) renders the landing
  page, the Chinese pages under ``zh/`` and the API reference under ``reference/`` with
  Chinese labels;
* the English build (``sphinx-build -c docs -D language=en docs/en OUT/en``) renders the
  English pages and the same API reference (``docs/en/reference`` links to
  ``docs/reference``) with English labels, English search and an English title.

The API reference's docstrings are English with the Chinese term beside each concept.
Parallel source trees were chosen over gettext catalogs because the policy pages are
written natively in Chinese by the people who know the regulations, not translated
sentence by sentence; each page links to its counterpart with the ``:zh:`` and ``:en:``
roles (``_ext/languages.py``), which work across the two builds.
"""

from __future__ import annotations

import pathlib
import sys

import civilaffairs

sys.path.insert(0, str(pathlib.Path(__file__).parent / "_ext"))

project = "civilaffairs"
author = "civilaffairs developers"
copyright = "2026, civilaffairs developers"
version = release = civilaffairs.__version__
language = "zh_CN"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "sphinx.ext.todo",
    "programs_directive",
    "cli_directive",
    "standard_keys",
    "coverage_pages",
    "search_fix",
    "languages",
    "openapi_page",
]

exclude_patterns = ["_build"]
templates_path: list[str] = []
html_static_path = ["_static"]
html_theme = "furo"
html_title = "civilaffairs · 民政业务规则库"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
autoclass_content = "both"

nitpicky = True
# Types from other projects: without network access there is no intersphinx inventory,
# so these references are left unlinked on purpose.
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(datetime|_dt|decimal|attrs|attr|click|hypothesis|st|pyarrow|pa|numpy|np|npt|"
        r"pluggy|collections\.abc|typing|enum|pathlib|os|io|importlib|cattrs|dask|pandas|"
        r"polars|matplotlib|pytest|_pytest)(\..*)?",
    ),
    (
        r"py:class",
        r"(Any|Callable|Iterable|Iterator|Mapping|Sequence|Path|date|Decimal|"
        r"SearchStrategy|DrawFn|Enum|TypeVar|T|K|V|Self|ClassVar|NoneType|TextIO|BinaryIO|"
        r"Literal|Command|Context|Group)",
    ),
    (r"py:.*", r"civilaffairs\.(.*\.)?_.*"),
    # type aliases (Literal unions) documented with the module that defines them
    (r"py:class", r"(UnitName|Level|Period|Lang|Unit)"),
    # numpy array aliases, defined for type checkers only so that one household's
    # assessment never imports numpy
    (r"py:class", r"(IntArray|BoolArray|_Timeline)"),
    # the records store's types from SQLAlchemy and cryptography
    (r"py:.*", r"(sqlalchemy|alembic|cryptography|psycopg)(\..*)?"),
    (r"py:class", r"(Session|Engine|Connection|Table|Ed25519PrivateKey|Ed25519PublicKey)"),
]

# Only ``.. doctest::`` blocks are run by the doctest builder; examples in docstrings are
# run by pytest (--doctest-modules) in their own module's namespace.
doctest_test_doctest_blocks = ""

# Doctests find the bundled examples through EXAMPLES, wherever the build is run from.
doctest_global_setup = f"""
import datetime
import pathlib
import civilaffairs
EXAMPLES = pathlib.Path({str(pathlib.Path(__file__).resolve().parent.parent / "examples")!r})
"""
