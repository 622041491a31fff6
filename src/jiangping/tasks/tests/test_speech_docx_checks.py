"""The speech page's .docx upload gets the container checks of an imported workbook:
a zip bomb, a file that is not a .docx, an encrypted document, an old .doc, a DTD."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiangping.intake.tests import hostile
from jiangping.tasks.models import Task
from jiangping.tasks.tests.test_speech_views import MEETING, SPEECH, TITLE


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as stream:
            stream.write(b"<w:document>")
            block = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"
            for _ in range(20_000):
                stream.write(block)
            stream.write(b"</w:document>")
    return buffer.getvalue()


def _docx_with_dtd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml",
                         '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol">]><d>&a;</d>')
    return buffer.getvalue()


CASES = {
    "zip bomb": (lambda d: _bomb(), "压缩比"),
    "empty": (lambda d: b"", "空文件"),
    "PNG renamed .docx": (lambda d: hostile.PNG, "不是 Word（.docx）文件，看起来是 PNG 图片"),
    "workbook renamed .docx": (
        lambda d: hostile.xlsx(d / "x.xlsx", [["a"]]).read_bytes(), "看起来是 Excel 工作簿"),
    "encrypted": (
        lambda d: hostile.ole_with_stream(d / "e.docx", "EncryptionInfo").read_bytes(),
        "文件已加密"),
    "old .doc": (
        lambda d: hostile.ole_with_stream(d / "o.docx", "WordDocument").read_bytes(),
        "旧版 Word（.doc）"),
    "DTD": (lambda d: _docx_with_dtd(), "DTD"),
    "truncated": (lambda d: _bomb()[:5000], "文件已损坏"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_docx_is_refused_in_chinese(client, cast, tmp_path, case):
    build, fragment = CASES[case]
    upload = SimpleUploadedFile("讲话.docx", build(tmp_path))
    client.force_login(cast.office)
    response = client.post(SPEECH, {"file": upload, "meeting_date": MEETING.isoformat(),
                                    "source_title": TITLE})
    assert response.status_code == 422
    assert fragment in response.content.decode()
    assert Task.objects.count() == 0
