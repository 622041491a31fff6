"""Cells whose value the file does not hold (未读出的单元格): a formula saved without its
result, an error value. The reader marks them; every converted cell passes
:func:`refuse_unread`, so they are refused wherever a column reads them, never taken as
blank."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiangping.intake.normalize import CellError


class UnreadCell:
    """A spreadsheet cell whose value the file does not hold: it is refused wherever a
    column reads it (:func:`refuse_unread`), never taken as blank. Shown as what the
    user sees in the cell."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.text!r})"

    def __reduce__(self):
        return (self.__class__, (self.text,))

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__ and other.text == self.text

    def __hash__(self) -> int:
        return hash((self.__class__, self.text))


class FormulaCell(UnreadCell):
    """A formula saved without its result (公式没有计算结果), as report generators and
    openpyxl write them; ``text`` is the formula (``=B3+B4``)."""

    @property
    def message(self) -> str:
        return _("公式没有计算结果，请在 Excel/WPS 中打开并保存后再导入。")


class ErrorCell(UnreadCell):
    """A cell holding an error value (错误值) such as ``#DIV/0!``, ``#REF!`` or ``#N/A``."""

    @property
    def message(self) -> str:
        return _("单元格是错误值 %(error)s，请改正后再导入。") % {"error": self.text}


UNREAD_CELLS = (FormulaCell, ErrorCell)


def refuse_unread(raw) -> None:
    """The one check every converted cell passes: a formula without result or an error
    value raises :class:`CellError`."""
    if raw.__class__ in UNREAD_CELLS:
        raise CellError(raw.message)
