"""Every Qt model passes QAbstractItemModelTester; the case list pages lazily and in store order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from rrmdesk import Actor, Case, CaseFilter, Event, UsageError
from rrmdesk.demo import load_demo
from ui.case.parts import ACTORS, EVENTS
from ui.case.techniques import DisarmPicker
from ui.models import cases as case_list
from ui.models.audit import AuditModel
from ui.models.cases import CaseListModel
from ui.models.records import RecordTableModel
from ui.models.search import SearchResultsModel
from ui.messages import MessageBridge
from ui.session import Session
from ui.undo import Editor


@pytest.fixture
def session(store, keyring_workspace, qapp):
    opened = Session(keyring_workspace[0])
    opened.adopt(store)
    return opened


@pytest.fixture
def keep():
    """Models outlive the model tester's teardown (list this fixture before ``qtmodeltester``)."""
    held: list = []
    yield held.append


def many_cases(store, count: int) -> None:
    store.add_many([Case(title=f"Case {n:05d}", tlp=("clear", "green", "amber", "red")[n % 4],
                         target_countries=["FR"] if n % 3 == 0 else []) for n in range(count)])


def test_case_list_model_fetches_pages_lazily(keep, qtmodeltester, session, store, monkeypatch):
    monkeypatch.setattr(case_list, "PAGE", 100)
    many_cases(store, 250)
    model = CaseListModel(session)
    keep(model)
    model.reload()
    assert model.rowCount() == 0 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 100
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 250
    rows = model.rows
    assert len({r.id for r in rows}) == 250
    assert all(a.modified >= b.modified for a, b in zip(rows, rows[1:]))  # newest first
    assert model.data(model.index(0, 1)) in {"CLEAR", "GREEN", "AMBER", "RED"}
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None


def test_case_list_model_filters_and_sorts_like_the_store(keep, qtmodeltester, session, store, monkeypatch):
    monkeypatch.setattr(case_list, "PAGE", 7)
    many_cases(store, 40)
    model = CaseListModel(session)
    keep(model)
    where = CaseFilter(tlp="red", country="FR")
    model.reload(where)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.reload(where)
    while model.canFetchMore():
        model.fetchMore()
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == \
        [c.title for c in store.list_cases(where, order="title DESC")]
    qtmodeltester.check(model, force_py=True)


def test_case_page_keyset_matches_offset_paging(store):
    many_cases(store, 30)
    for order in ("modified DESC", "title", "tlp", "created DESC"):
        paged, after = [], None
        while page := store.case_page(after=after, limit=4, order=order):
            paged.extend(page)
            after = page[-1].key
        column, _, direction = order.partition(" ")
        values = [getattr(c, column) for c in store.list_cases(order=order)]
        assert [s.key[0] for s in paged] == values  # the store's order; ties newest-added first
        assert len({s.id for s in paged}) == 30
        assert direction or [s.key for s in paged] == sorted(s.key for s in paged)
    with pytest.raises(UsageError, match="cannot sort cases by"):
        store.case_page(order="summary; DROP TABLE cases")


def test_record_table_model(keep, qtmodeltester, session, store, case):
    store.add(Actor(case_id=case.id, name="Storm-1516", aliases=["CopyCop"], country="RU"))
    store.add(Event(case_id=case.id, title="Launch", start="2024-01-02", key=True))
    from PySide6.QtGui import QUndoGroup

    group = QUndoGroup()
    keep(group)
    editor = Editor(session, MessageBridge(), group)
    actors = RecordTableModel(session, editor, Actor, ACTORS.columns)
    keep(actors)
    actors.load(case.id)
    qtmodeltester.check(actors, force_py=True)
    assert actors.data(actors.index(0, 5)) == "CopyCop"
    store.add(Actor(case_id=case.id, name="Agence"))
    actors.load(case.id)
    actors.sort(0, Qt.SortOrder.DescendingOrder)
    assert [actors.data(actors.index(r, 0)) for r in range(2)] == ["Storm-1516", "Agence"]
    actors.sort(0)
    assert [actors.data(actors.index(r, 0)) for r in range(2)] == ["Agence", "Storm-1516"]
    events = RecordTableModel(session, editor, Event, EVENTS.columns)
    keep(events)
    events.load(case.id)
    qtmodeltester.check(events, force_py=True)
    key = [c.field for c in EVENTS.columns].index("key")
    assert events.data(events.index(0, key), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert events.flags(events.index(0, key)) & Qt.ItemFlag.ItemIsUserCheckable


def test_audit_and_search_models(keep, qtmodeltester, store, case):
    store.add(Actor(case_id=case.id, name="Storm-1516"))
    audit = AuditModel()
    keep(audit)
    audit.set_entries(store.audit_entries(case.id), {case.id: case.title})
    qtmodeltester.check(audit, force_py=True)
    assert audit.rowCount() == 2
    results = SearchResultsModel()
    keep(results)
    results.set_hits(store.search("Storm"))
    qtmodeltester.check(results, force_py=True)
    assert results.rowCount() == 1 and "Storm-1516" in results.data(results.index(0, 0))


def test_disarm_picker_model_and_search(keep, qtmodeltester):
    picker = DisarmPicker()
    keep(picker)
    qtmodeltester.check(picker.proxy, force_py=True)
    picker.search.setText("T0097.1")
    codes = []
    proxy = picker.proxy

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            codes.append(index.data())
            walk(index)

    walk(QModelIndex())
    assert "T0097.109" in codes and all(c.startswith(("TA", "T0097")) for c in codes)
    assert picker.select_code("T0097.109") and picker.current_code() == "T0097.109"


def test_demo_workspace_opens_in_every_model(keep, qtmodeltester, session, store):
    load_demo(store)
    model = CaseListModel(session)
    keep(model)
    model.reload()
    model.fetchMore()
    assert model.rowCount() == store.count_cases()
    qtmodeltester.check(model, force_py=True)
