"""Fixtures for briefing tests: a realistic case to brief."""

from __future__ import annotations

import pytest

from .cases import fill_doppelganger


@pytest.fixture
def doppelganger(store, case):
    ids = fill_doppelganger(store, case)
    return store.get_case(case.id), ids
