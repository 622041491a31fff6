"""Forms of the task pages: the board's and calendar's queries, a new task, a progress
report and the close-out decisions. They validate input; the services decide."""

from __future__ import annotations

import datetime as dt
import io
import json

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiangping.intake.reading import refusal_message
from jiangping.intake.sniff import Refused, sniff_docx
from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.services import unit_forms
from jiangping.tasks.models import DayKind, SourceKind, Status

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_SPEECH_BYTES = 5 * 1024 * 1024


def assignable_units():
    """The units a task can be assigned to: the home city's county-level units and
    departments (县级单位、市直部门)."""
    return OrgUnit.objects.filter(
        parent__level=Level.CITY, parent__is_home=True,
        level__in=(Level.COUNTY, Level.DEPARTMENT),
    ).order_by("level", "sort_order", "code")


def text_homes():
    """Whose text a speech or minute can be (文稿所属单位): the home city and its
    county-level units."""
    return OrgUnit.objects.filter(
        Q(level=Level.CITY, is_home=True)
        | Q(level=Level.COUNTY, parent__level=Level.CITY, parent__is_home=True),
    ).order_by("depth", "sort_order", "code")


class BoardQuery(forms.Form):
    """The board's query string: status, unit (by code) and latest deadline."""

    status = forms.ChoiceField(choices=[("", _("全部")), *Status.choices], required=False)
    unit = forms.CharField(required=False, max_length=32)
    due = forms.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = _("状态不正确：%(value)s")
        self.fields["due"].error_messages["invalid"] = _("截止日期格式应为 YYYY-MM-DD。")


class MonthQuery(forms.Form):
    month = forms.CharField(required=False, max_length=7)

    def clean_month(self) -> dt.date | None:
        month = self.cleaned_data["month"]
        if not month:
            return None
        try:
            return dt.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007  (a month, no time)
        except ValueError:
            raise ValidationError(
                _("月份“%(month)s”格式不正确，应为 YYYY-MM。") % {"month": month}) from None


class HolidayYearQuery(forms.Form):
    """The year shown on the holiday page (节假日安排)."""

    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)


class HolidayForm(forms.Form):
    """One day of a year's holiday arrangement: 放假 or 调休上班."""

    date = forms.DateField(label=_("日期"),
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40, required=False,
                           help_text=_("所属节日，如 春节"))


class TaskForm(forms.Form):
    """交办: a new task; the deadline is a date or a number of working days (工作日)."""

    title = forms.CharField(label=_("督办事项"), max_length=300,
                            widget=forms.Textarea(attrs={"rows": 2}))
    source_kind = forms.ChoiceField(label=_("来源类型"), choices=SourceKind.choices,
                                    initial=SourceKind.MEETING)
    source_title = forms.CharField(label=_("来源"), max_length=200, required=False)
    source_date = forms.DateField(label=_("来源日期"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=OrgUnit.objects.none(),
                                       widget=forms.Select(attrs={"data-picker": ""}))
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "data-picker": ""}),
    )
    deadline = forms.DateField(label=_("完成时限"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    deadline_workdays = forms.IntegerField(label=_("或：工作日数"), required=False, min_value=1,
                                           max_value=500)
    target = forms.CharField(label=_("目标要求"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = assignable_units()
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("deadline") and data.get("deadline_workdays"):
            raise ValidationError(_("完成时限与工作日数只能填写一项。"))
        return data


class ProgressForm(forms.Form):
    """报送进展: text, percent done, and an optional evidence file (佐证材料)."""

    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("完成进度（%）"), required=False, min_value=0,
                                 max_value=100)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and evidence.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(_("佐证材料不能超过 20 MB。"))
        return evidence


class DecisionForm(forms.Form):
    """The comment on 申请销号/同意销号, the reason on 退回 (the service requires it)."""

    comment = forms.CharField(required=False, max_length=500, label=_("意见"))


def read_speech(upload) -> str:
    """The text of an uploaded speech: a UTF-8 .txt, or a .docx (its paragraphs in order)."""
    data = upload.read()
    if upload.name.lower().endswith(".docx"):
        import docx  # python-docx, only needed here

        _check_docx(data, upload.name)
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # python-docx raises several kinds for a damaged package
            raise ValidationError(
                _("无法读取 Word 文件“%(name)s”。") % {"name": upload.name}) from None
        return "\n".join(paragraph.text for paragraph in document.paragraphs)
    if not upload.name.lower().endswith(".txt"):
        raise ValidationError(_("请上传 .txt（UTF-8）或 .docx 文件。"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("文件“%(name)s”不是 UTF-8 编码，请另存为 UTF-8 后再上传。") % {"name": upload.name}
        ) from None


def _check_docx(data: bytes, name: str) -> None:
    """The same container checks as an imported workbook (zip bomb, DTD, not a .docx,
    encrypted) before python-docx parses it."""
    try:
        sniff_docx(data)
    except Refused as refusal:
        if refusal.code == "foreign" and refusal.params.get("what") == "doc":
            message = _("“%(name)s”是旧版 Word（.doc）文件，请在 Word/WPS 中另存为 .docx "
                        "后再上传。") % {"name": name}
        else:
            message = _("“%(name)s”：%(reason)s") % {
                "name": name,
                "reason": refusal_message(refusal, expected=str(_("Word（.docx）文件")))}
        raise ValidationError(message) from None


class SpeechForm(forms.Form):
    """讲话分解: the speech (pasted or uploaded), the meeting date the deadlines are
    resolved against, and the source title of the tasks."""

    text = forms.CharField(label=_("讲话稿"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 14}))
    file = forms.FileField(label=_("或上传文件（.txt / .docx）"), required=False)
    meeting_date = forms.DateField(
        label=_("会议日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    source_title = forms.CharField(label=_("来源"), max_length=200)
    home = forms.ModelChoiceField(
        label=_("文稿所属单位"), queryset=OrgUnit.objects.none(), required=False,
        empty_label=_("自动识别"),
        help_text=_("县（市、区）的会议纪要选该县：“住建局”“县财政局”即按该县的单位识别。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = text_homes()

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_SPEECH_BYTES:
                self.add_error("file", _("讲话稿文件不能超过 5 MB。"))
                return data
            try:
                data["text"] = read_speech(upload)
            except ValidationError as error:
                self.add_error("file", error)
                return data
        if not (data.get("text") or "").strip():
            self.add_error("text", _("请粘贴讲话稿，或上传文件。"))
        return data


class UnitPicker:
    """Options carry the names a unit is known by (``data-search``), so that the picker
    of ``tasks/picker.js`` finds 发改委 under 示例市发展和改革委员会; without script the
    select works as it is."""

    def __init__(self, *args, search: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.search = search or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        words = self.search.get(str(value))
        if words:
            option["attrs"]["data-search"] = words
        return option


class UnitSelect(UnitPicker, forms.Select):
    pass


class UnitSelectMultiple(UnitPicker, forms.SelectMultiple):
    pass


def unit_label(unit: OrgUnit) -> str:
    """A unit as a picker lists it: its short name, or its name; a unit of a county
    (县直部门、乡镇) after its county's name unless its own name starts with it."""
    label = unit.short_name or unit.name
    parent = unit.parent
    if parent is not None and parent.level == Level.COUNTY and not label.startswith(parent.name):
        return f"{parent.name} · {label}"
    return label


# A unit created while confirming: a department under the city or a county, a township
# under a county, a county-level unit under the city (jiangping.orgs.services.CREATABLE).
NEW_LEVELS = [(Level.DEPARTMENT, _("部门")), (Level.TOWNSHIP, _("乡镇（街道）")),
              (Level.COUNTY, _("县级单位（含功能区）"))]
MENTION_STATES = ("resolved", "collective", "unresolved")
MENTION_MAX = 100


def parse_mentions(raw: str) -> list[dict]:
    """The unit mentions a row carries (the hidden ``mentions`` field, written by the
    page as JSON): each ``{"text", "role", "level", "state", "unit", "members",
    "candidates"}``, cleaned; a value that is not such a list raises ValidationError."""
    broken = ValidationError(_("页面数据不完整，请重新分解讲话稿。"))
    try:
        data = json.loads(raw or "[]")
    except ValueError:
        raise broken from None
    if not isinstance(data, list) or len(data) > MENTION_MAX:
        raise broken
    out = []
    for item in data:
        if not (isinstance(item, dict) and isinstance(item.get("text"), str)
                and 0 < len(item["text"]) <= 50 and item.get("state") in MENTION_STATES):
            raise broken

        def ids(key, item=item):
            values = item.get(key) or []
            return [v for v in values if isinstance(v, int)] if isinstance(values, list) else []

        out.append({
            "text": item["text"], "role": "lead" if item.get("role") == "lead" else "co",
            "level": item["level"] if isinstance(item.get("level"), str) else "",
            "state": item["state"],
            "unit": item["unit"] if isinstance(item.get("unit"), int) else None,
            "members": ids("members"), "candidates": ids("candidates"),
        })
    return out


class ProposalForm(forms.Form):
    """One proposed task of a speech, as the office edits it before 立项. Unit choices
    are passed in (one query for the whole formset); ``lead_unit`` and ``co_units``
    come out as :class:`OrgUnit`. Each unit mention the registry does not know
    (未登记) gets ``map_<j>`` (a registered unit, ``new`` or nothing), and for ``new``
    ``level_<j>`` and ``parent_<j>``, ``j`` its index in ``mentions``."""

    include = forms.BooleanField(label=_("立项"), required=False)
    title = forms.CharField(label=_("督办事项"), max_length=300, required=False)
    lead_unit = forms.TypedChoiceField(label=_("牵头单位"), required=False, coerce=int,
                                       empty_value=None)
    co_units = forms.TypedMultipleChoiceField(label=_("配合单位"), required=False, coerce=int)
    deadline = forms.DateField(
        label=_("完成时限"), required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    target = forms.CharField(label=_("目标要求"), max_length=500, required=False)
    sentence = forms.CharField(required=False, widget=forms.HiddenInput)
    deadline_text = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    unmatched = forms.CharField(required=False, widget=forms.HiddenInput)
    mentions = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units: list[OrgUnit], parents: list[OrgUnit] = (),
                 home: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.parents = {unit.pk: unit for unit in parents}
        search = {str(unit.pk): " ".join(unit_forms(unit)) for unit in units}
        choices = [(unit.pk, unit_label(unit)) for unit in units]
        lead, co = self.fields["lead_unit"], self.fields["co_units"]
        lead.choices = [("", _("（请选择）")), *choices]
        co.choices = choices
        lead.widget = UnitSelect(choices=lead.choices, search=search, attrs={"data-picker": ""})
        co.widget = UnitSelectMultiple(choices=co.choices, search=search,
                                       attrs={"data-picker": "", "size": 4})
        raw = self.data.get(self.add_prefix("mentions")) if self.is_bound else \
            self.initial.get("mentions")
        try:
            self.unit_mentions = parse_mentions(raw)
        except ValidationError as error:
            self.unit_mentions, self.broken = [], error
        else:
            self.broken = None
        for j, mention in enumerate(self.unit_mentions):
            mention["names"] = [unit_label(self.units[pk]) for pk in mention["members"]
                                if pk in self.units]
            if mention["unit"] in self.units:
                mention["name"] = self.units[mention["unit"]].name
            if mention["state"] == "unresolved":
                self._add_mapping(j, mention, choices, search, home)

    def _add_mapping(self, j: int, mention: dict, choices, search, home) -> None:
        """The fields that map an unresolved mention: a unit, ``new`` or nothing."""
        likely = [pk for pk in mention["candidates"] if pk in self.units]
        mention["likely"] = [unit_label(self.units[pk]) for pk in likely]
        rest = [(pk, label) for pk, label in choices if pk not in likely]
        options = [("", _("（不纳入）"))]
        if likely:
            options.append((_("可能是"), [(pk, unit_label(self.units[pk])) for pk in likely]))
        options += [(_("已登记单位"), rest),
                    ("new", _("新建单位“%(name)s”") % {"name": mention["text"]})]
        self.fields[f"map_{j}"] = forms.ChoiceField(
            label=_("对应单位"), required=False, choices=options,
            widget=UnitSelect(search=search, attrs={
                "data-picker": "", "data-maps": "", "data-role": mention["role"],
                "data-placeholder": _("不纳入；输入名称可对应到已登记单位或新建")}))
        level = Level.TOWNSHIP if mention["level"] == "township" else Level.DEPARTMENT
        self.fields[f"level_{j}"] = forms.ChoiceField(
            label=_("层级"), required=False, choices=NEW_LEVELS, initial=level)
        self.fields[f"parent_{j}"] = forms.TypedChoiceField(
            label=_("上级单位"), required=False, coerce=int, empty_value=None,
            initial=self._default_parent(mention, home),
            choices=[("", _("（请选择）")),
                     *[(unit.pk, unit.name) for unit in self.parents.values()]])
        mention["fields"] = (self[f"map_{j}"], self[f"level_{j}"], self[f"parent_{j}"])

    def _default_parent(self, mention: dict, home: OrgUnit | None) -> int | None:
        """Where a new unit most likely belongs: a 市… unit under the city, a 县…
        unit or a township under the county whose text it is; else the office chooses."""
        city = next((pk for pk, unit in self.parents.items() if unit.level == Level.CITY), None)
        if mention["level"] == "city":
            return city
        if home is not None and home.level == Level.COUNTY and home.pk in self.parents:
            return home.pk
        return None

    def mapped(self) -> list[dict]:
        """The unresolved mentions the office mapped: ``{"text", "role", "unit"}`` or
        ``{"text", "role", "new": {"level", "parent"}}``, in text order."""
        out = []
        for j, mention in enumerate(self.unit_mentions):
            choice = self.cleaned_data.get(f"map_{j}")
            if not choice:
                continue
            item = {"text": mention["text"], "role": mention["role"]}
            if choice == "new":
                item["new"] = {"level": self.cleaned_data.get(f"level_{j}"),
                               "parent": self.parents.get(self.cleaned_data.get(f"parent_{j}"))}
            else:
                item["unit"] = self.units[int(choice)]
            out.append(item)
        return out

    def clean(self):
        data = super().clean()
        if self.broken:
            raise self.broken
        if not data.get("include"):
            return data
        if not (data.get("title") or "").strip():
            self.add_error("title", _("请填写督办事项。"))
        for j, mention in enumerate(self.unit_mentions):
            if data.get(f"map_{j}") == "new" and data.get(f"parent_{j}") is None:
                self.add_error(f"parent_{j}", _("新建单位“%(name)s”：请选择上级单位。")
                               % {"name": mention["text"]})
        mapped_lead = any(item["role"] == "lead" for item in self.mapped())
        if data.get("lead_unit") is None and not mapped_lead and "lead_unit" not in self.errors:
            self.add_error("lead_unit", _("请选择牵头单位。"))
        return data

    def row(self) -> dict:
        """The keyword arguments of one row of :func:`~jiangping.tasks.confirm.confirm_speech`."""
        data = self.cleaned_data
        lead = data.get("lead_unit")
        return {
            "title": data["title"],
            "lead_unit": self.units.get(lead) if lead is not None else None,
            "co_units": [self.units[pk] for pk in data.get("co_units", ())],
            "deadline": data.get("deadline"),
            # The deadline as written is kept only while the date is the one proposed.
            "deadline_text": data.get("deadline_text", "") if data.get("deadline") else "",
            "target": data.get("target", ""),
            "mentions": self.mapped(),
        }


class BaseProposalFormSet(forms.BaseFormSet):
    def included(self) -> list[dict]:
        return [form.row() for form in self.forms if form.cleaned_data.get("include")]


ProposalFormSet = forms.formset_factory(ProposalForm, formset=BaseProposalFormSet, extra=0,
                                        max_num=200, validate_max=True)
