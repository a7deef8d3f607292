"""Question sets, questions and checks in the admin. A version somebody answered is read-only
here: the "edit as a new version" action (and the link on its page) copies it into the next
version, which is edited instead, so the results already collected never change."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import tenancy
from core.errors import ApplicationError
from core.tenant_admin import TenantModelAdmin, TenantTabularInline

from .models import CheckAssignment, Choice, Question, QuestionSet
from .services.question_sets import (
    question_set_locked,
    question_set_new_version,
    question_set_problems,
)


class LockedWithSet:
    """Rows of a version somebody answered cannot be added, changed or deleted."""

    def _set_of(self, obj):
        return obj.question_set if isinstance(obj, Question) else obj

    def _locked(self, obj) -> bool:
        return obj is not None and obj.pk is not None and question_set_locked(self._set_of(obj))

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class QuestionInline(LockedWithSet, TenantTabularInline):
    model = Question
    extra = 3
    fields = ["position", "kind", "text", "text_ar", "text_en", "picture", "audio", "answers_link"]
    readonly_fields = ["answers_link"]

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    @admin.display(description=_("answers"))
    def answers_link(self, question):
        if question.pk is None:
            return "—"
        url = reverse("admin:assessments_question_change", args=[question.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the answers"))


@admin.register(QuestionSet)
class QuestionSetAdmin(LockedWithSet, TenantModelAdmin):
    list_display = ["title", "version", "programme", "pass_mark", "ready"]
    list_filter = ["programme"]
    search_fields = ["title", "title_ar", "title_en"]
    readonly_fields = ["version", "previous_version", "problems"]
    inlines = [QuestionInline]
    actions = ["new_version"]

    @admin.display(description=_("ready to be answered"), boolean=True)
    def ready(self, question_set):
        return not question_set_problems(question_set)

    @admin.display(description=_("what is missing"))
    def problems(self, question_set):
        if question_set.pk is None:
            return "—"
        problems = question_set_problems(question_set)
        if not problems:
            return _("Nothing: the set can be answered.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="assessments_questionset_new_version",
            ),
            *super().get_urls(),
        ]

    def _to_new_version(self, request, question_set):
        try:
            new = question_set_new_version(question_set=question_set)
        except ApplicationError as error:
            messages.error(request, error.message)
            return None
        messages.success(
            request,
            _(
                "Version %(version)d is ready to edit; the answers already given keep version %(old)d."
            )
            % {"version": new.version, "old": question_set.version},
        )
        return new

    def new_version_view(self, request, pk):
        question_set = (
            tenancy.writable(request.user, QuestionSet.objects.all()).filter(pk=pk).first()
        )
        if request.method != "POST" or question_set is None:
            return redirect("admin:assessments_questionset_changelist")
        new = self._to_new_version(request, question_set)
        target = new or question_set
        return redirect("admin:assessments_questionset_change", target.pk)

    @admin.action(description=_("Edit as a new version"))
    def new_version(self, request, queryset):
        for question_set in queryset:
            self._to_new_version(request, question_set)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        question_set = self.get_object(request, object_id)
        if question_set is not None and question_set_locked(question_set):
            extra_context["new_version_url"] = reverse(
                "admin:assessments_questionset_new_version", args=[question_set.pk]
            )
            messages.info(
                request,
                _(
                    "People answered this version: it can no longer change. Edit it as a new version."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)


class ChoiceInline(LockedWithSet, TenantTabularInline):
    model = Choice
    extra = 2
    fields = ["position", "text", "text_ar", "text_en", "picture", "is_correct"]

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)


@admin.register(Question)
class QuestionAdmin(LockedWithSet, TenantModelAdmin):
    list_display = ["__str__", "question_set", "kind"]
    list_filter = ["question_set__programme"]
    search_fields = ["text", "text_ar", "text_en"]
    inlines = [ChoiceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        correct = form.instance.choices.filter(is_correct=True).count()
        if correct != 1:
            messages.warning(request, _("Mark exactly one answer as the correct one."))


@admin.register(CheckAssignment)
class CheckAssignmentAdmin(TenantModelAdmin):
    list_display = ["__str__", "event", "session", "moment", "question_set", "is_open", "links"]
    list_filter = ["moment", "is_open"]
    autocomplete_fields = ["event"]
    actions = ["open_checks", "close_checks"]

    @admin.display(description=_("links"))
    def links(self, assignment):
        if assignment.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("assessments:answer", args=[assignment.room_token]),
            _("room link"),
            reverse("assessments:results_event", args=[assignment.event_id]),
            _("results"),
        )

    @admin.action(description=_("Open for answers"))
    def open_checks(self, request, queryset):
        queryset.update(is_open=True)

    @admin.action(description=_("Close for answers"))
    def close_checks(self, request, queryset):
        queryset.update(is_open=False)
