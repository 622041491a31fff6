"""Small stand-ins for the composer and the writers, so the app's tests (versions, files,
pages, API, CLI) run in milliseconds and pin what the app does with what they return.

The fake composer starts from :func:`samples.sample_bulletin`, says which review version
and which first unit it was built from (so a new review version changes the text), and
puts the office's edits in the closing sections as the real one does (一是…/一是要…).
"""

from __future__ import annotations

from html import escape

import pytest

from jiangping.bulletins import render
from jiangping.bulletins.document import Bulletin, Paragraph, chinese_ordinal
from jiangping.bulletins.sections import Context
from jiangping.bulletins.tests.samples import sample_bulletin
from jiangping.orgs.models import home_city
from jiangping.orgs.scope import Scope


def context_for(period: str) -> Context:
    from jiangping.bulletins.services import published_run

    run = published_run(period)
    review = {**run.result, "version": run.version} if run else None
    return Context(period=period, review=review, city=home_city(), scope=Scope.operator())


def compose(context: Context, *, number: str, date: str, issuer: str,
            edits: dict | None = None) -> Bulletin:
    bulletin = sample_bulletin()
    bulletin.period, bulletin.number, bulletin.date, bulletin.issuer = (
        context.period, number, date, issuer)
    first = context.review["units"][0] if context.review else None
    said = (f"讲评结果第{context.review['version']}版：{first['name']}{first['score']}分。"
            if first else "本月无讲评结果。")
    bulletin.sections[0].blocks.append(Paragraph(said))
    for section in bulletin.sections:
        given = (edits or {}).get(section.key)
        if given:
            suffix = "是要" if section.key == "actions" else "是"
            section.blocks = [Paragraph(text, lead=chinese_ordinal(n) + suffix)
                              for n, text in enumerate(given, 1)]
    return bulletin


def write_docx(bulletin: Bulletin) -> bytes:
    return b"PK-docx\n" + bulletin.text().encode("utf-8")


def write_html(bulletin: Bulletin) -> bytes:
    return f"<!doctype html><pre>{escape(bulletin.text())}</pre>".encode()


def write_pdf(bulletin: Bulletin) -> bytes:
    return b"%PDF-1.7\n" + bulletin.text().encode("utf-8")


def preview(bulletin: Bulletin) -> str:
    return f'<article class="bulletin-preview">{escape(bulletin.text())}</article>'


@pytest.fixture
def faces(monkeypatch, settings, tmp_path):
    """The fakes in place of the composer and the writers; the data dir in ``tmp_path``."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(render, "context_for", context_for)
    monkeypatch.setattr(render, "compose", compose)
    monkeypatch.setattr(render, "preview", preview)
    monkeypatch.setitem(render.formats, "docx", write_docx)
    monkeypatch.setitem(render.formats, "html", write_html)
    monkeypatch.setitem(render.formats, "pdf", write_pdf)
    return tmp_path
