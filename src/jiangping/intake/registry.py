"""Import forms (导入表单) declared as data, and the registry every module adds to.

A :class:`Form` lists its columns (canonical header, synonyms, type, stored unit of
measure, required), its natural key and the action that applies a batch of clean
records. The engine (:mod:`jiangping.intake.engine`) does the reading, matching
and checking for every form alike; a module only declares its forms, e.g.
``jiangping.indicators.imports``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnType(StrEnum):
    TEXT = "text"
    DECIMAL = "decimal"
    INT = "int"
    DATE = "date"
    PERIOD = "period"
    YEAR = "year"
    CHOICE = "choice"
    # A reference to an object (单位, 指标, a project…), found by name, code or synonym
    # through the column's resolver (:class:`~jiangping.intake.references.Reference`).
    REFERENCE = "reference"


@dataclass(frozen=True)
class Column:
    """One column of a form.

    ``unit`` is the stored unit of measure; a unit in the sheet's header converts to
    it. ``unit_of`` instead names a reference column whose object carries the unit
    (a value's unit is its indicator's). ``blank_skips_row``: an empty cell means
    "nothing reported" and the row is passed over rather than refused.
    ``reference``: the resolver of a REFERENCE column, declared by the app that owns
    the objects. ``max_length``: the most characters a text column's model field
    holds (:func:`max_length_of`), checked at the dry run.
    """

    key: str
    header: str
    type: ColumnType = ColumnType.TEXT
    synonyms: tuple[str, ...] = ()
    unit: str | None = None
    unit_of: str | None = None
    required: bool = True
    blank_skips_row: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    help: str = ""
    reference: Any = None
    max_length: int | None = None

    def __post_init__(self):
        if (self.type == ColumnType.REFERENCE) != (self.reference is not None):
            raise ValueError(f"column {self.key!r}: a reference column needs a resolver")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)

    def template_header(self) -> str:
        return f"{self.header}({self.unit})" if self.unit else self.header


@dataclass(frozen=True)
class Pivot:
    """The wide layout (宽表): reference objects as columns instead of one key column.

    Units as rows and indicators as columns: each header that resolves to an
    indicator becomes the ``key`` column's value of a record, and the cell becomes
    its ``value`` column. Columns absent from the sheet come from the form's defaults
    (the period from ``--period`` or the sheet title).
    """

    key: str
    value: str


@dataclass
class Form:
    """An import form. ``apply(context, records)`` writes one batch of records (tuples in
    column order) through the module's actions and returns ``(created, updated)``.

    ``defaults(context)`` gives values for columns missing from the sheet.
    ``check(context, records)`` refuses records of a batch, returning
    ``[(index, column key, message)]`` (e.g. data already approved and locked).
    ``skip(context, record)`` tells rows to pass over silently.
    ``reported_by``: the levels of the org units that report this form through a
    submission (填报) each month, reviewed in the approval queue; empty for a form that
    is the city office's own data.

    A form that can be checked without writing declares all three of (and the engine
    then runs it outside any transaction):
    ``preview(context, records)``: ``(created, updated)`` that ``apply`` would return,
    by reading only, raising what it would raise (the dry run);
    ``stage(context, records)``: check a batch as ``apply`` does and keep it for the
    merge (in ``context.cache``), taking no writers' lock;
    ``merge(context)``: write everything staged in one transaction of its own that
    holds the writers' locks only for that write; returns ``(created, updated)``.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    apply: Callable[[Any, list[tuple]], tuple[int, int]]
    description: str = ""
    pivot: Pivot | None = None
    defaults: Callable[[Any], dict[str, Any]] | None = None
    check: Callable[[Any, list[tuple]], Sequence[tuple[int, str, str]]] | None = None
    skip: Callable[[Any, tuple], bool] | None = None
    preview: Callable[[Any, list[tuple]], tuple[int, int]] | None = None
    stage: Callable[[Any, list[tuple]], None] | None = None
    merge: Callable[[Any], tuple[int, int]] | None = None
    reported_by: tuple[str, ...] = ()
    city_office_only: bool = False
    quirks: tuple[str, ...] = ()
    example_rows: tuple[tuple[str, ...], ...] = field(default=())

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def index(self, key: str) -> int:
        for position, column in enumerate(self.columns):
            if column.key == key:
                return position
        raise KeyError(key)


_FORMS: dict[str, Form] = {}


class UnknownForm(LookupError):
    """A form name nobody registered; the CLI exits with status 2."""


def register(form: Form) -> Form:
    if form.name in _FORMS and _FORMS[form.name] is not form:
        raise ValueError(f"import form {form.name!r} registered twice")
    _FORMS[form.name] = form
    return form


def get_form(name: str) -> Form:
    try:
        return _FORMS[name]
    except KeyError:
        raise UnknownForm(name) from None


def all_forms() -> list[Form]:
    """Every registered import form, by name (for the CLI, the docs and their test)."""
    return [_FORMS[name] for name in sorted(_FORMS)]


def reported_forms() -> list[Form]:
    """The forms units report through submissions (填报), by name."""
    return [form for form in all_forms() if form.reported_by]


def max_length_of(model, field: str) -> int | None:
    """The ``max_length`` of ``model``'s ``field``: a text column's limit, from the model
    it is written to."""
    return model._meta.get_field(field).max_length
