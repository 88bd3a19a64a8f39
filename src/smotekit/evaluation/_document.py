"""A report as a list of blocks, written as Markdown and as one self-contained HTML page."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Document"]

_CSS = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.2rem; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; white-space: nowrap; }
th { background: #f2f2f2; } tr:nth-child(even) td { background: #fafafa; }
.scroll { overflow-x: auto; } img { max-width: 100%; } code { background: #f4f4f4; }
"""


def _inline_html(text: str) -> str:
    """The Markdown this module writes, inline: `code`, **bold** and [text](link)."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', out)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str


@dataclass(frozen=True)
class _Table:
    header: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class _Figure:
    path: str
    alt: str


_Block = _Heading | _Table | _Figure | str | list  # str: a paragraph; list: bullet items


@dataclass
class Document:
    """Blocks of a report: headings, paragraphs, bullet lists, tables and figures.

    Examples
    --------
    >>> doc = Document()
    >>> doc.heading(1, "Title")
    >>> doc.table(["a", "b"], [[1, "x|y"]])
    >>> print(doc.markdown())
    # Title
    <BLANKLINE>
    | a | b |
    |---|---|
    | 1 | x\\|y |
    <BLANKLINE>
    """

    blocks: list[_Block] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(_Heading(level, text))

    def paragraph(self, text: str) -> None:
        self.blocks.append(text)

    def bullets(self, items: list[str]) -> None:
        if items:
            self.blocks.append(list(items))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.blocks.append(_Table(list(header), [list(r) for r in rows]))

    def figure(self, path: str, alt: str) -> None:
        """A PNG, ``path`` relative to the report's folder."""
        self.blocks.append(_Figure(path, alt))

    def markdown(self) -> str:
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, _Heading):
                lines.append("#" * block.level + " " + block.text)
            elif isinstance(block, str):
                lines.append(block)
            elif isinstance(block, list):
                lines += [f"- {item}" for item in block]
            elif isinstance(block, _Table):
                lines.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
                lines.append("|" + "---|" * len(block.header))
                lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            else:
                lines.append(f"![{block.alt}]({block.path})")
            lines.append("")
        return "\n".join(lines)

    def html(self, root: Path, title: str) -> str:
        """One HTML page; figures (read from ``root``) embedded as base64 PNG."""
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        ]
        for block in self.blocks:
            if isinstance(block, _Heading):
                n = block.level
                parts.append(f"<h{n}>{_inline_html(block.text)}</h{n}>")
            elif isinstance(block, str):
                parts.append(f"<p>{_inline_html(block)}</p>")
            elif isinstance(block, list):
                items = "".join(f"<li>{_inline_html(str(i))}</li>" for i in block)
                parts.append(f"<ul>{items}</ul>")
            elif isinstance(block, _Table):
                head = "".join(f"<th>{_inline_html(str(h))}</th>" for h in block.header)
                body = "".join(
                    "<tr>" + "".join(f"<td>{_inline_html(str(c))}</td>" for c in row) + "</tr>"
                    for row in block.rows
                )
                parts.append(f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>')
            else:
                data = base64.b64encode((root / block.path).read_bytes()).decode("ascii")
                alt = html.escape(block.alt)
                parts.append(f'<p><img alt="{alt}" src="data:image/png;base64,{data}"></p>')
        parts.append("</body></html>")
        return "\n".join(parts)
