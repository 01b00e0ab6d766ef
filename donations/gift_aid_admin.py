"""The admin's Gift Aid claim: eligible gifts in a chosen period, in the columns of HMRC's
schedule spreadsheet, as CSV or XLSX (see donations/gift_aid.py and docs/online-giving.md)."""

import csv
import io
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import FormView
from openpyxl import Workbook
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import gift_aid

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def tax_year_start(today: date) -> date:
    """The first day of the UK tax year `today` is in (6 April)."""
    start = date(today.year, 4, 6)
    return start if today >= start else date(today.year - 1, 4, 6)


class ClaimForm(forms.Form):
    start = forms.DateField(label="Received from", help_text="The first day of the claim's period.")
    end = forms.DateField(label="Received until", help_text="The last day of the period (included).")
    format = forms.ChoiceField(choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")], initial="xlsx")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The period cannot end before it starts.")
        return cleaned


class GiftAidClaimView(WagtailAdminTemplateMixin, FormView):
    form_class = ClaimForm
    template_name = "donations/admin/gift_aid_claim.html"
    page_title = "Gift Aid claim schedule"
    header_icon = "download"
    permission = "donations.export_donation"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        return {"start": tax_year_start(today), "end": today, "format": "xlsx"}

    def form_valid(self, form):
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = gift_aid.claim_rows(start, end)
        name = f"gift-aid-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"
        if form.cleaned_data["format"] == "csv":
            return csv_response(rows, name)
        return xlsx_response(rows, name)


def csv_response(rows, name) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(gift_aid.SCHEDULE_COLUMNS)
    for row in rows:
        writer.writerow([_safe(cell) for cell in row[:-1]] + [f"{row[-1]:.2f}"])
    return response


def xlsx_response(rows, name) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Gift Aid donations"
    sheet.append(gift_aid.SCHEDULE_COLUMNS)
    for row in rows:
        sheet.append(row)
        # The amount a number with two places; the date text, as HMRC's schedule wants DD/MM/YY.
        sheet.cell(row=sheet.max_row, column=len(row)).number_format = "0.00"
    stream = io.BytesIO()
    workbook.save(stream)
    response = HttpResponse(stream.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
