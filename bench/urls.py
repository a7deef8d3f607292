"""Mounted by config/urls.py only when MULTAQA_BENCH=1 (under `make bench`), never in production."""

from django.urls import path

from .baseline import baseline_scan

urlpatterns = [path("baseline", baseline_scan, name="bench-baseline")]
