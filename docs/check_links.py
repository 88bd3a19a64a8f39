"""Check every internal link of the built site, offline: ``python docs/check_links.py HTML_DIR``.

Each ``href`` and ``src`` of every HTML page that points inside the site must name a file that
exists, and its ``#fragment``, if any, an ``id`` (or ``name``) in that file. Links to other sites
are not followed (the build machine has no internet); they are counted and listed with ``-v``.
Exits 1 and prints one line per broken link.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

EXTERNAL_SCHEMES = {"http", "https", "mailto", "data", "javascript", "tel"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.anchors.add(value)
            elif (name == "href" and tag in ("a", "link")) or (name == "src" and tag != "iframe"):
                self.links.append(value)


def _parse(path: Path, cache: dict[Path, _Page]) -> _Page:
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


def broken_links(root: Path) -> tuple[list[str], list[str]]:
    """(broken internal links as 'page: link (why)', external links seen)."""
    cache: dict[Path, _Page] = {}
    broken, external = [], []
    for page_path in sorted(root.rglob("*.html")):
        if page_path.relative_to(root).parts[0] == "_static":  # theme templates, not pages
            continue
        for link in _parse(page_path, cache).links:
            parts = urlsplit(link)
            if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
                external.append(link)
                continue
            target = page_path if not parts.path else (page_path.parent / unquote(parts.path))
            target = target.resolve()
            where = f"{page_path.relative_to(root)}: {link}"
            if root.resolve() not in (target, *target.parents):
                broken.append(f"{where} (outside the site)")
            elif target.is_dir():
                if not (target / "index.html").exists():
                    broken.append(f"{where} (a folder without index.html)")
            elif not target.exists():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target, cache).anchors:
                    broken.append(f"{where} (no anchor #{parts.fragment})")
    return broken, external


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list external links")
    args = parser.parse_args(argv)
    if not (args.html_dir / "index.html").exists():
        print(f"check_links: no {args.html_dir}/index.html: build the site first", file=sys.stderr)
        return 2
    broken, external = broken_links(args.html_dir)
    for line in broken:
        print(f"broken link: {line}")
    if args.verbose:
        for link in sorted(set(external)):
            print(f"external (not followed): {link}")
    pages = sum(1 for _ in args.html_dir.rglob("*.html"))
    print(
        f"check_links: {pages} pages, {len(broken)} broken internal links, "
        f"{len(set(external))} distinct external links not followed"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
