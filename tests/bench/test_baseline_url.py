"""The benchmarks' baseline endpoint exists only when MULTAQA_BENCH=1 (under `make bench`)."""

import pytest
from django.urls import Resolver404, resolve


def test_baseline_endpoint_is_not_mounted_without_the_bench_setting(settings):
    assert settings.MULTAQA_BENCH is False
    with pytest.raises(Resolver404):
        resolve("/bench/baseline")
