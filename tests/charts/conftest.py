"""Shared fixtures for the chart tests: the real-data cases, built once per session."""

from __future__ import annotations

import pytest

from tests.charts import datasets
from tests.core.conftest import cli  # noqa: F401  (the in-process CLI runner, shared)


@pytest.fixture(scope="session")
def demo():
    return datasets.demo_case()


@pytest.fixture(scope="session")
def fiat():
    return datasets.fiat_case()


@pytest.fixture(scope="session")
def meta():
    return datasets.meta_doppelganger_case()
