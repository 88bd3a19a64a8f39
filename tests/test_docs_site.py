"""The documentation site as a person sees it: its pages opened in headless Chromium.

The browser tests need the built site (``make docs``), Debian's ``chromium`` and
``chromium-driver`` and selenium (the ``docs`` extra); without them they are skipped, and
``make docs-check`` (which installs all three) sets ``SMOTEKIT_DOCS_CHECK=1`` so that a skip
becomes a failure there. The site is served over HTTP on the loopback interface, as a reader's
browser would get it. Screenshots are written to ``docs/_build/screenshots/``.

The link checker that ``make docs`` runs (``docs/check_links.py``) is tested here on small
made-up sites, which needs none of the above.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
SCREENSHOTS = ROOT / "docs" / "_build" / "screenshots"
# Chromium on a machine without internet: no background traffic, no sandbox (root in CI).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1400,1000",
)
NAV_SECTIONS = ["Getting started", "User guide", "Examples", "API reference", "Development"]
API_PAGE = "api/generated/smotekit.over_sampling.SMOTE.html"


def _load_check_links():
    spec = importlib.util.spec_from_file_location("check_links", ROOT / "docs" / "check_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the offline link checker -------------------------------------------------------------------


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{body}</body></html>")
    return tmp_path


def test_check_links_accepts_good_links(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/page.html#part">x</a><a href="a/">y</a>'
            '<img src="img.png"><a href="#top" id="top">z</a><a href="https://example.org">e</a>',
            "a/page.html": '<h2 id="part">part</h2><a href="../index.html">up</a>',
            "a/index.html": "",
            "img.png": "",
        },
    )
    broken, external = _load_check_links().broken_links(site)
    assert broken == []
    assert external == ["https://example.org"]


def test_check_links_reports_missing_files_anchors_and_escapes(tmp_path):
    site = _site(
        tmp_path / "html",
        {
            "index.html": '<a href="gone.html">a</a><a href="page.html#nowhere">b</a>'
            '<img src="missing.png"><a href="../../outside.html">c</a><a href="empty/">d</a>',
            "page.html": '<p id="somewhere"></p>',
            "empty/other.html": "",
        },
    )
    broken, _ = _load_check_links().broken_links(site)
    assert broken == [
        "index.html: gone.html (no such file)",
        "index.html: page.html#nowhere (no anchor #nowhere)",
        "index.html: missing.png (no such file)",
        "index.html: ../../outside.html (outside the site)",
        "index.html: empty/ (a folder without index.html)",
    ]


# -- the site in a browser ----------------------------------------------------------------------


def _require(condition: object, why: str) -> None:
    if not condition:
        if os.environ.get("SMOTEKIT_DOCS_CHECK"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def site_url():
    _require((SITE / "index.html").exists(), "the site is not built: run `make docs`")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=SITE))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    _require(chromium and driver_path, "Debian's chromium and chromium-driver are not installed")
    _require(importlib.util.find_spec("selenium"), "selenium is not installed (docs extra)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _open(browser, url: str):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    return browser


def _css(browser, selector: str):
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, selector)


def _broken_images(browser) -> list[str]:
    """Sources of the page's images that fail to load (each fetched again, lazy ones included)."""
    return browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const sources = [...document.images].map((img) => img.currentSrc || img.src);
        Promise.all(sources.map((src) => new Promise((resolve) => {
            const probe = new Image();
            probe.onload = () => resolve(probe.naturalWidth > 0 ? null : src);
            probe.onerror = () => resolve(src);
            probe.src = src;
        }))).then((results) => done(results.filter((r) => r !== null)));
        """
    )


def _console_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _screenshot(browser, name: str, element=None) -> None:
    if element is not None:  # bring it to the top of the window
        browser.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -90);", element)
    assert browser.save_screenshot(str(SCREENSHOTS / name))


def _visible_texts(elements) -> list[str]:
    return [e.text.strip() for e in elements if e.is_displayed()]


def test_home_page(browser, site_url):
    _open(browser, site_url)
    assert browser.title.startswith("smotekit")
    assert _visible_texts(_css(browser, ".bd-header .navbar-nav a.nav-link")) == NAV_SECTIONS
    code = [b for b in _css(browser, "div.highlight pre") if b.is_displayed()]
    assert len(code) >= 2 and "fit_resample" in code[0].text
    assert _css(browser, "input[name='q'], button.search-button, .search-button-field")
    assert _broken_images(browser) == []
    assert _console_errors(browser) == []
    _screenshot(browser, "home.png")


def test_api_page(browser, site_url):
    _open(browser, site_url + API_PAGE)
    assert _css(browser, "h1")[0].text.strip().rstrip("#") == "SMOTE"
    signature = _css(browser, "dl.py.class > dt")[0].text
    assert "smotekit.over_sampling.SMOTE" in signature and "k_neighbors" in signature
    body = _css(browser, "article.bd-article")[0].text
    for section in ("Parameters", "Attributes", "Examples", "fit_resample"):
        assert section in body
    assert any(">>> " in b.text for b in _css(browser, "div.highlight pre"))
    # the section navigation lists every public module page
    modules = _visible_texts(_css(browser, "nav.bd-docs-nav li.toctree-l1 > a"))
    assert "smotekit.over_sampling" in modules and "smotekit.neighbors" in modules
    # "Examples using SMOTE": the gallery examples that import it, linked from its page
    used_in = [a.get_attribute("href") for a in _css(browser, "div.sphx-glr-thumbcontainer a")]
    assert len(used_in) >= 2 and all("/auto_examples/plot_" in href for href in used_in)
    assert _console_errors(browser) == []
    _screenshot(browser, "api-SMOTE.png")


def test_navigating_by_clicks(browser, site_url):
    _open(browser, site_url)
    link = next(a for a in _css(browser, ".bd-header a.nav-link") if a.text == "API reference")
    link.click()
    assert _css(browser, "h1")[0].text.strip().rstrip("#") == "API reference"
    module = next(a for a in _css(browser, "article a.reference") if "over_sampling" in a.text)
    module.click()
    assert "smotekit.over_sampling" in _css(browser, "h1")[0].text
    sampler = next(a for a in _css(browser, "article a.reference") if a.text == "BorderlineSMOTE")
    sampler.click()
    assert browser.current_url.split("#")[0].endswith("smotekit.over_sampling.BorderlineSMOTE.html")


def test_examples_run_and_show_their_figures(browser, site_url):
    _open(browser, site_url + "auto_examples/index.html")
    thumbnails = _css(browser, "div.sphx-glr-thumbcontainer a")
    pages = sorted({a.get_attribute("href") for a in thumbnails})
    assert len(pages) >= 5
    with_figures = []
    for page in pages:
        _open(browser, page)
        assert _css(browser, "div.highlight-Python pre"), page
        printed = " ".join(o.text for o in _css(browser, "div.sphx-glr-script-out pre"))
        assert "<matplotlib." not in printed and "Text(" not in printed, page  # stray reprs
        assert _broken_images(browser) == [], page
        assert _console_errors(browser) == [], page
        figures = _css(browser, "img.sphx-glr-single-img, img.sphx-glr-multi-img")
        if figures:
            with_figures.append(page)
        if page.endswith("plot_2_family.html"):
            _screenshot(browser, "example-family.png", figures[0])
    assert len(with_figures) == len(pages), sorted(set(pages) - set(with_figures))


def test_tutorial_notebook_ran(browser, site_url):
    _open(browser, site_url + "getting_started/tutorial.html")
    outputs = _css(browser, "div.cell_output")
    figures = _css(browser, "div.cell_output img")
    assert len(figures) >= 5
    assert any("Test accuracy" in o.text for o in outputs)
    assert _broken_images(browser) == []
    _screenshot(browser, "tutorial.png", figures[-1])


def test_user_guide_pages_render(browser, site_url):
    _open(browser, site_url + "user_guide/index.html")
    pages = [a.get_attribute("href") for a in _css(browser, "article .toctree-wrapper a")]
    assert len(pages) >= 7
    for page in pages:
        _open(browser, page)
        assert _css(browser, "article h1"), page
        assert _broken_images(browser) == [], page
        assert _console_errors(browser) == [], page
        if page.endswith("answers.html"):
            assert len(_css(browser, "article img")) >= 6


def test_search_finds_a_sampler(browser, site_url):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, site_url + "search.html?q=BorderlineSMOTE")
    WebDriverWait(browser, 30).until(lambda d: _css(d, "#search-results li a"))
    hits = [a.get_attribute("href") for a in _css(browser, "#search-results li a")]
    page = "api/generated/smotekit.over_sampling.BorderlineSMOTE.html"
    assert any(h.split("#")[0].endswith(page) for h in hits)
