"""The built site in a real browser (run by ``nox -s docs``): headless Chromium from Debian's
packages (``chromium``, ``chromium-driver``), driven by Selenium with the system chromedriver.

It serves the built HTML on a local port and checks that

* a Chinese search (``低保``) on the Chinese build and an English search (``assess``) on
  the English build (``en/``) return results;
* every page of the site loads without an error in the browser console;
* the links between each page and its other-language counterpart resolve in the browser;

and saves screenshots of the landing page, a programme page in each language, an English
API reference page and the two search results as build artefacts. Usage::

    python docs/browser_check.py docs/_build/html docs/_build/screenshots

Exit 1 with one line per problem; exit 2 if Chromium or chromedriver is missing.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: (search page, query) -> screenshot: Chinese on the Chinese build, English on the English one.
SEARCHES = {("search.html", "低保"): "search-zh.png", ("en/search.html", "assess"): "search-en.png"}
SHOTS = {
    "index.html": "landing.png",
    "zh/explanation/program-dibao.html": "program-dibao.png",
    "en/explanation/program-dibao.html": "program-dibao-en.png",
    "en/reference/money.html": "reference-en.png",
}


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve *root* on a free local port; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def console_errors(driver: Any) -> list[str]:
    """Errors in the browser console; the favicon the browser asks for on its own (the site
    has none) is not the page's error."""
    return [
        e["message"]
        for e in driver.get_log("browser")
        if e.get("level") == "SEVERE" and "favicon.ico" not in e["message"]
    ]


def search(driver: Any, base: str, page: str, query: str, shot: Path) -> list[str]:
    from urllib.parse import quote

    driver.get(f"{base}{page}?q={quote(query)}")
    deadline = time.monotonic() + 30
    hits: list[Any] = []
    while time.monotonic() < deadline:
        hits = driver.find_elements("css selector", "#search-results li")
        summary = driver.find_elements("css selector", "#search-results p.search-summary")
        # the search is over when its summary ("found N pages") is written
        if summary and any(ch.isdigit() for ch in summary[0].text):
            break
        time.sleep(0.2)
    driver.save_screenshot(str(shot))
    problems = [f"{page}?q={query}: {m}" for m in console_errors(driver)]
    if not hits:
        problems.append(f"search for {query!r} returned no result")
    return problems


def check(site: Path, shots: Path) -> list[str]:
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    pages = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(("_", "search", "genindex", "py-"))
        and not p.relative_to(site).as_posix().startswith(("en/_", "en/search", "en/genindex"))
    )
    with serve(site) as base:
        driver = browser()
        try:
            for (search_page, query), name in SEARCHES.items():
                problems += search(driver, base, search_page, query, shots / name)
            for page in pages:
                driver.get(base + page)
                problems += [f"{page}: {m}" for m in console_errors(driver)]
                if page in SHOTS:
                    driver.save_screenshot(str(shots / SHOTS[page]))
                for link in driver.find_elements("css selector", "a.reference"):
                    href = link.get_attribute("href") or ""
                    other = "/en/" if "/zh/" in page or page.startswith("zh/") else "/zh/"
                    if other in href and href.startswith(base):
                        target = site / href[len(base) :].split("#")[0]
                        if not target.is_file():
                            problems.append(f"{page}: link to {href} does not resolve")
        finally:
            driver.quit()
    return problems


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "docs/_build/html")
    shots = Path(argv[2] if len(argv) > 2 else "docs/_build/screenshots")
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        print(
            f"docs browser check: {CHROMIUM} and {CHROMEDRIVER} are needed "
            "(Debian packages chromium and chromium-driver)",
            file=sys.stderr,
        )
        return 2
    found = check(site, shots)
    for line in found:
        print(f"docs browser check: {line}", file=sys.stderr)
    print(f"docs browser check: {len(found)} problem(s); screenshots in {shots}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
