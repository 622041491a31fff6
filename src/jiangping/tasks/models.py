"""Supervision tasks (督查督办): a task, its progress reports and its audit trail."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangping.orgs.models import OrgUnit


class SourceKind(models.TextChoices):
    MEETING = "meeting", _("会议")
    SPEECH = "speech", _("讲话")
    DOCUMENT = "document", _("文件")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    OVERDUE = "overdue", _("逾期")
    CLOSED = "closed", _("已销号")


# Tasks still to be done: the ones that fall overdue when their deadline passes.
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)


class Recurrence(models.TextChoices):
    NONE = "", _("不重复")
    MONTHLY = "monthly", _("每月")


class Task(models.Model):
    """A supervision task (督办事项) assigned by the city office to a lead unit (牵头单位)
    with co-units (配合单位). ``completed_on`` is the day the lead unit reported it done
    and asked for close-out (销号); the city office then approves (已销号) or rejects it."""

    title = models.CharField(_("事项"), max_length=300)
    source_kind = models.CharField(_("来源类型"), max_length=10, choices=SourceKind.choices,
                                   default=SourceKind.MEETING)
    source_title = models.CharField(_("来源"), max_length=200, blank=True)
    source_date = models.DateField(_("来源日期"), null=True, blank=True)
    lead_unit = models.ForeignKey(OrgUnit, verbose_name=_("牵头单位"), on_delete=models.PROTECT,
                                  related_name="led_tasks")
    co_units = models.ManyToManyField(OrgUnit, verbose_name=_("配合单位"), blank=True,
                                      related_name="co_tasks")
    deadline = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    deadline_workdays = models.PositiveSmallIntegerField(
        _("时限（工作日）"), null=True, blank=True,
        help_text=_("填写后，完成时限按来源日期起算的工作日计算"),
    )
    deadline_text = models.CharField(
        _("时限原文"), max_length=40, blank=True,
        help_text=_("讲话中的时限写法，如“春节前”，节假日安排公布后据此重算"),
    )
    deadline_estimated = models.BooleanField(
        _("暂按双休日计算"), default=False,
        help_text=_("完成时限所在年度的节假日安排尚未公布，暂按双休日计算"),
    )
    target = models.TextField(_("目标要求"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.NOT_STARTED)
    recurring = models.CharField(_("重复"), max_length=10, choices=Recurrence.choices,
                                 blank=True, default=Recurrence.NONE)
    recurs_from = models.ForeignKey(
        "self", verbose_name=_("上期事项"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="next_occurrences",
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["lead_unit", "deadline"], name="task_lead_deadline")]

    def __str__(self) -> str:
        return self.title


class TaskProgress(models.Model):
    """A progress report (进展情况) of the lead unit or a co-unit, with optional evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("报送单位"), on_delete=models.PROTECT,
                             related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True,
                                               validators=[MaxValueValidator(100)])
    evidence = models.FileField(_("佐证材料"), upload_to="tasks/evidence/%Y/%m/", blank=True)
    at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"


class EventKind(models.TextChoices):
    CREATED = "created", _("交办")
    PROGRESS = "progress", _("报送进展")
    CLOSE_REQUESTED = "close_requested", _("申请销号")
    CLOSE_APPROVED = "close_approved", _("同意销号")
    CLOSE_REJECTED = "close_rejected", _("退回销号申请")
    OVERDUE = "overdue", _("逾期")
    UPDATED = "updated", _("修改")


class TaskEvent(models.Model):
    """Every state change of a task, for the audit trail; ``status`` is the one after it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} → {self.status}"


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("到期提醒")
    ESCALATION = "escalation", _("逾期升级")
    CLOSE_REQUESTED = "close_requested", _("申请销号")
    CLOSE_APPROVED = "close_approved", _("同意销号")
    CLOSE_REJECTED = "close_rejected", _("退回销号申请")


class Notification(models.Model):
    """A message to one user about a task (提醒/逾期升级/…), shown until read.
    ``deadline`` is the task's deadline when it was sent: a reminder or an escalation is
    sent once per task, kind and deadline, and again only when the deadline moves."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=16, choices=NotificationKind.choices)
    message = models.TextField(_("内容"))
    deadline = models.DateField(null=True, blank=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task", "kind", "deadline"], name="notification_once",
                condition=models.Q(kind__in=["reminder", "escalation"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.task_id}"


class DayKind(models.TextChoices):
    OFF = "off", _("放假")
    WORK = "work", _("调休上班")


class HolidayYear(models.Model):
    """A year whose holiday arrangement (节假日安排) is known: seeded from the
    ``chinesecalendar`` package, or entered by the city office from the State Council's
    notice (import form ``holidays`` or the calendar page). A year without a row is
    computed on weekends only."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("内置日历")
        OFFICE = "office", _("市级录入")

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices,
                              default=Source.OFFICE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """One day of a year's arrangement: an off day (放假) or a make-up workday (调休上班),
    with the festival it belongs to (名称, e.g. 春节)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}"
