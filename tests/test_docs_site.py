"""The documentation site as a person sees it: its pages opened in headless Chromium.

The browser tests need the built site (``make docs``), Debian's ``chromium`` and
``chromium-driver`` and selenium (the ``docs`` extra); without them they are skipped, and
``make docs-check`` (which installs all three) sets ``SMOTEKIT_DOCS_CHECK=1`` so that a skip
becomes a failure there. The site is served over HTTP on the loopback interface, as a reader's
browser would get it. Screenshots are written to ``docs/_build/screenshots/``.

Also tested here, without a browser: the link checker that ``make docs`` runs
(``docs/check_links.py``) on small made-up sites, and the API reference generator
(``docs/sphinxext/smotekit_api.py``, skipped without Sphinx) on smotekit and on a made-up package.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import sys
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


def _load_docs_module(path: str):
    name = Path(path).stem
    if name not in sys.modules:  # registered first: dataclasses look their module up there
        spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / path)
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def _load_check_links():
    return _load_docs_module("check_links.py")


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


# -- the API reference generator (needs Sphinx: the docs extra) ---------------------------------


@pytest.fixture
def api():
    pytest.importorskip("sphinx", reason="Sphinx is not installed (docs extra)")
    return _load_docs_module("sphinxext/smotekit_api.py")


def test_api_reference_documents_every_public_name_once(api):
    modules = api.public_modules()
    names = {m.__name__ for m in modules}
    assert {"smotekit", "smotekit.over_sampling", "smotekit.neighbors", "smotekit.dask"} <= names
    assert not any(part.startswith("_") for name in names for part in name.split("."))
    entries = [e for m in modules for e in api.exported(m)]
    every_name = {f"{m.__name__}.{name}" for m in modules for name in m.__all__}
    assert {e.qualified for e in entries} == every_name
    homes = api.choose_homes(entries)
    pages = {m.__name__: api.module_page(m, api.exported(m), homes) for m in modules}
    for entry in entries:  # each name is listed, or written out (data), on its home's page
        home = homes[entry.qualified]
        page = pages[home.module]
        assert f"   {home.name}" in page or f".. py:data:: {home.name}" in page, home.qualified
    assert homes["smotekit.SMOTE"].qualified == "smotekit.over_sampling.SMOTE"
    assert homes["smotekit.smote"].qualified == "smotekit.smote"  # defined in a private module
    aliases = api.aliases(entries, homes)
    assert aliases["smotekit.SMOTE"] == "smotekit.over_sampling.SMOTE"
    assert aliases["smotekit.over_sampling._smote.SMOTE"] == "smotekit.over_sampling.SMOTE"


def test_api_reference_picks_up_new_modules_and_flags_missing_all(api, tmp_path, monkeypatch):
    package = tmp_path / "fakekit"
    (package / "extra").mkdir(parents=True)
    (package / "__init__.py").write_text("from fakekit.extra import Thing\n__all__ = ['Thing']\n")
    (package / "extra" / "__init__.py").write_text(
        "from fakekit.extra._impl import Thing\n__all__ = ['Thing', 'missing']\n"
    )
    (package / "extra" / "_impl.py").write_text('class Thing:\n    """A thing."""\n')
    (package / "_private.py").write_text("x = 1\n")
    (package / "no_all.py").write_text("def f():\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    warnings: list[str] = []
    monkeypatch.setattr(api, "warn", warnings.append)

    modules = api.public_modules("fakekit")
    assert [m.__name__ for m in modules] == ["fakekit", "fakekit.extra", "fakekit.no_all"]
    entries = [e for m in modules for e in api.exported(m)]
    assert sorted(e.qualified for e in entries) == ["fakekit.Thing", "fakekit.extra.Thing"]
    assert len(warnings) == 2
    assert "fakekit.extra.__all__ lists 'missing'" in warnings[0]
    assert "fakekit.no_all is a public module without __all__" in warnings[1]
    assert api.choose_homes(entries)["fakekit.Thing"].qualified == "fakekit.extra.Thing"


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
