"""The case tabs on their own: overview edits, techniques, relationships, evidence, audit, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from rrmdesk import Actor, Event, Evidence, Relationship, TechniqueUse
from tests.ui.helpers import WAIT_MS
from ui import tlp
from ui.case.charts import ChartTab
from ui.case.tabs import TABS


def open_new_case(window, **fields):
    case = window.session.store.create_case("Tab test case", **fields)
    window.refresh()
    window.open_case(case.id)
    return case


def test_tabs_in_order_with_the_chart_views(window):
    names = [window.workspace.tabs.tabText(i) for i in range(window.workspace.tabs.count())]
    assert names == ["Overview", "Related", "Timeline", "Graph", "Actors", "Observables", "Events", "Narratives",
                     "Evidence", "Relationships", "Techniques", "Responses", "Audit"]
    assert [title for title, _ in TABS] == names
    assert isinstance(window.workspace.tab("Timeline"), ChartTab)
    assert isinstance(window.workspace.tab("Graph"), ChartTab)
    for tab in window.workspace.pages:
        assert tab.accessibleName()


def test_overview_edits_case_and_tlp_shows_everywhere(qtbot, window):
    case = open_new_case(window, tlp="green")
    overview = window.workspace.tab("Overview")
    assert window.tlp_badge.text() == "TLP:GREEN" and "[TLP:GREEN]" in window.windowTitle()
    overview.tlp.setCurrentText("red")
    overview.tlp.activated.emit(overview.tlp.currentIndex())
    assert window.session.store.get_case(case.id).tlp == "red"
    assert window.tlp_badge.text() == "TLP:RED" and "[TLP:RED]" in window.windowTitle()
    assert tlp.COLOURS["red"].lower() in window.tlp_badge.styleSheet().lower()
    assert window.workspace.badge.text() == "TLP:RED"
    row = window.navigator.cases.row_of(case.id)
    assert window.navigator.cases.data(window.navigator.cases.index(row, 1)) == "RED"
    window.actions["undo"].trigger()
    assert window.tlp_badge.text() == "TLP:GREEN"

    overview.countries.setText("fr, Germany")
    overview.countries.editingFinished.emit()
    assert "not an ISO 3166 country code" in window.bridge.current.text()
    window.bridge.current.accept()
    assert overview.countries.text() == ""  # the stored value is shown again
    overview.countries.setText("fr, de")
    overview.countries.editingFinished.emit()
    assert window.session.store.get_case(case.id).target_countries == ["FR", "DE"]
    overview.summary.setPlainText("Cloned sites of national newspapers.")
    overview.summary.committed.emit()
    assert window.session.store.get_case(case.id).summary == "Cloned sites of national newspapers."
    overview.add()  # a key judgment
    assert overview.judgments.model.rowCount() == 1


def test_techniques_picked_from_the_disarm_catalog(qtbot, window):
    case = open_new_case(window)
    tab = window.workspace.tab("Techniques")
    window.workspace.tabs.setCurrentWidget(tab)
    tab.picker.search.setText("T0097.109")
    assert tab.picker.select_code("T0097.109")
    tab.picker.add_button.click()
    used = window.session.store.parts(case.id, TechniqueUse)
    assert [u.code for u in used] == ["T0097.109"]
    model = tab.used.model
    assert model.data(model.index(0, 1))  # the technique's name from the catalog
    assert model.data(model.index(0, 2)).startswith("TA")
    tab.picker.add_button.click()  # twice: refused with a note, not added again
    assert len(window.session.store.parts(case.id, TechniqueUse)) == 1


def test_relationships_added_with_the_form_and_removed_with_undo(qtbot, window):
    case = open_new_case(window)
    store = window.session.store
    a = store.add(Actor(case_id=case.id, name="Outlet A"))
    b = store.add(Actor(case_id=case.id, name="Account B"))
    window.open_case(case.id)
    window.workspace.open(case.id)
    tab = window.workspace.tab("Relationships")
    window.workspace.tabs.setCurrentWidget(tab)
    tab.add()
    dialog = tab.dialog
    dialog.source.setCurrentIndex(dialog.source.findData(b.id))
    dialog.target.setCurrentIndex(dialog.target.findData(a.id))
    dialog.type.setCurrentText("amplifies")
    dialog.accept()
    (link,) = store.parts(case.id, Relationship)
    assert (link.source_id, link.type, link.target_id) == (b.id, "amplifies", a.id)
    assert tab.model.data(tab.model.index(0, 0)) == "Account B"
    window.actions["remove_item"].trigger()
    assert store.parts(case.id, Relationship) == []
    window.actions["undo"].trigger()
    assert [r.id for r in store.parts(case.id, Relationship)] == [link.id]
    assert tab.model.rowCount() == 1


def test_evidence_view_and_save_a_copy(qtbot, window, tmp_path):
    case = open_new_case(window)
    source = tmp_path / "post.txt"
    source.write_text("Texte du message publié\n", encoding="utf-8")
    tab = window.workspace.tab("Evidence")
    window.workspace.tabs.setCurrentWidget(tab)
    tab.add_files([source])
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=WAIT_MS)
    tab.view.selectRow(0)
    tab.view_button.click()
    qtbot.waitUntil(lambda: tab.viewer is not None and tab.viewer.isVisible(), timeout=WAIT_MS)
    from PySide6.QtWidgets import QPlainTextEdit

    assert "Texte du message publié" in tab.viewer.findChild(QPlainTextEdit).toPlainText()
    tab.viewer.reject()
    target = tmp_path / "out" / "copy.txt"
    target.parent.mkdir()
    tab.save_to(tab.current_record(), target)
    qtbot.waitUntil(lambda: target.exists() and not window.tasks.busy, timeout=WAIT_MS)
    assert target.read_bytes() == source.read_bytes()
    tab.save_to(tab.current_record(), target)  # never overwrites
    qtbot.waitUntil(lambda: window.bridge.current is not None, timeout=WAIT_MS)
    assert "already exists" in window.bridge.current.text()
    window.bridge.current.accept()
    (record,) = window.session.store.parts(case.id, Evidence)
    assert record.custody and record.custody[0]["action"] == "added from post.txt"


def test_dropping_a_folder_explains_instead_of_adding(qtbot, window, tmp_path):
    open_new_case(window)
    tab = window.workspace.tab("Evidence")
    tab.add_files([tmp_path])
    qtbot.waitUntil(lambda: window.bridge.current is not None, timeout=WAIT_MS)
    assert "is a folder" in window.bridge.current.text()
    window.bridge.current.accept()
    assert tab.model.rowCount() == 0


def test_key_event_checkbox_and_choice_cells(qtbot, window):
    case = open_new_case(window)
    store = window.session.store
    event = store.add(Event(case_id=case.id, title="Leak", start="2024-04-01"))
    window.workspace.open(case.id)
    tab = window.workspace.tab("Events")
    model = tab.model
    key = [c.field for c in model.columns].index("key")
    assert model.setData(model.index(0, key), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert store.get(event.id).key is True
    from tests.ui.helpers import choose_in_cell

    choose_in_cell(tab.view, 0, "Reliability", "B")
    assert store.get(event.id).reliability == "B"
    assert model.data(model.index(0, [c.header for c in model.columns].index("Grade"))) == "B?"


def test_audit_tab_lists_the_case_history_and_chain(qtbot, window):
    case = open_new_case(window)
    window.session.store.add(Actor(case_id=case.id, name="Someone"))
    window.workspace.open(case.id)
    tab = window.workspace.tab("Audit")
    window.workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: "intact" in tab.chain.text(), timeout=WAIT_MS)
    assert tab.model.rowCount() == 2
    assert tab.model.data(tab.model.index(1, 4)) == "actor: Someone"
    window.session.edit(case.id, title="Renamed case")
    assert tab.model.rowCount() == 3
    assert tab.model.data(tab.model.index(2, 5)) == "changed title"


def test_inspector_shows_the_selected_object(qtbot, window):
    case = open_new_case(window)
    store = window.session.store
    boss = store.add(Actor(case_id=case.id, name="Agency"))
    store.add(Actor(case_id=case.id, name="Troll farm", attributed_to=boss.id, attribution_confidence="high"))
    window.workspace.open(case.id)
    tab = window.workspace.tab("Actors")
    window.workspace.tabs.setCurrentWidget(tab)
    tab.select(tab.model.records[1].id)
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in window.inspector.findChildren(QLabel)]
    assert "Troll farm" in texts and "Agency" in texts and "Attributed to" in texts


def test_timeline_and_graph_draw_when_shown_and_feed_the_inspector(qtbot, window):
    case = open_new_case(window)
    store = window.session.store
    actor = store.add(Actor(case_id=case.id, name="Outlet"))
    event = store.add(Event(case_id=case.id, title="First post", start="2024-02-01", actor_ids=[actor.id]))
    window.workspace.open(case.id)
    timeline = window.workspace.tab("Timeline")
    assert timeline.view is None  # nothing drawn while the tab is hidden
    with qtbot.waitSignal(window.workspace.tabs.currentChanged, timeout=WAIT_MS):
        window.workspace.tabs.setCurrentWidget(timeline)
    qtbot.waitUntil(lambda: timeline.view is not None and timeline.view.canvas is not None, timeout=WAIT_MS)
    timeline.view.eventSelected.emit(event.id)
    assert "Event" in window.inspector._heading.text()
    graph = window.workspace.tab("Graph")
    window.workspace.tabs.setCurrentWidget(graph)
    qtbot.waitUntil(lambda: graph.view is not None and graph.view.canvas is not None, timeout=WAIT_MS)
    window.lock_now()
    assert graph.case is None


def test_url_evidence_added_with_the_form(qtbot, window):
    case = open_new_case(window)
    tab = window.workspace.tab("Evidence")
    window.workspace.tabs.setCurrentWidget(tab)
    tab.url_button.click()
    tab.url_dialog.accept()  # nothing typed: explained, nothing added
    assert "the URL is empty" in window.bridge.current.text()
    window.bridge.current.accept()
    tab.url_button.click()
    tab.url_dialog.url.setText("hxxps://spiegel[.]ltd/politik/article")
    tab.url_dialog.title.setText("Cloned Spiegel article")
    tab.url_dialog.accept()
    (record,) = window.session.store.parts(case.id, Evidence)
    assert (record.kind, record.url, record.title) == ("url", "hxxps://spiegel[.]ltd/politik/article",
                                                       "Cloned Spiegel article")
    assert tab.model.data(tab.model.index(0, 2)) == "hxxps://spiegel[.]ltd/politik/article"
    window.actions["undo"].trigger()
    assert window.session.store.parts(case.id, Evidence) == []


def test_event_links_to_actors_and_narratives(qtbot, window):
    from PySide6.QtCore import Qt as QtCore

    from rrmdesk import Narrative

    case = open_new_case(window)
    store = window.session.store
    actor = store.add(Actor(case_id=case.id, name="Troll farm"))
    story = store.add(Narrative(case_id=case.id, title="Rigged vote"))
    event = store.add(Event(case_id=case.id, title="Wave of posts", start="2024-06-01"))
    window.workspace.open(case.id)
    tab = window.workspace.tab("Events")
    window.workspace.tabs.setCurrentWidget(tab)
    tab.select(event.id)
    tab.links_button.click()
    dialog = tab.links_dialog
    for listing in dialog.lists.values():
        listing.item(0).setCheckState(QtCore.CheckState.Checked)
    dialog.accept()
    stored = store.get(event.id)
    assert stored.actor_ids == [actor.id] and stored.narrative_ids == [story.id]
    column = [c.header for c in tab.model.columns].index("Actors")
    assert tab.model.data(tab.model.index(0, column)) == "Troll farm"
    window.actions["undo"].trigger()
    assert store.get(event.id).narrative_ids == [] and store.get(event.id).actor_ids == [actor.id]


def test_the_navigator_highlights_the_open_case_however_it_was_opened(qtbot, window):
    store = window.session.store
    first = store.create_case("First case")
    second = store.create_case("Second case", status="draft")
    store.add(Event(case_id=second.id, title="Mirror site of lemonde.fr", start="2024-05-01"))
    window.refresh()
    window.open_case(first.id)
    navigator = window.navigator
    assert navigator.cases.case_id(navigator.case_view.currentIndex().row()) == first.id
    window.open_hit(store.search("lemonde.fr")[0])  # as a search hit or a related case opens it
    assert window.workspace.case.id == second.id
    assert navigator.cases.case_id(navigator.case_view.currentIndex().row()) == second.id
    navigator.status.setCurrentIndex(navigator.status.findData("draft"))
    navigator.apply_filter()
    window.open_case(first.id)  # filtered out of the list: nothing else is highlighted instead
    assert window.workspace.case.id == first.id
    assert not navigator.case_view.currentIndex().isValid()


def test_a_long_case_title_does_not_make_the_window_wider_than_a_laptop_screen(window):
    open_new_case(window, summary="x")
    long_title = "Coordinated inauthentic behaviour amplifying fabricated claims about postal voting " * 3
    window.session.store.edit(window.workspace.case.id, title=long_title.strip()[:290])
    window.refresh()
    window.workspace.open(window.workspace.case.id)
    title = window.workspace.title
    assert title.text().startswith("Coordinated inauthentic")
    assert title.minimumSizeHint().width() < 300  # the longest word: the title wraps instead
