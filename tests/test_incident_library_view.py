"""The incident library panel on a real recording's library: search, kind filter, and choosing
an incident replays its range from its start."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from backend_client.model.console_model import ConsoleModel
from backend_client.recording.incidents import IncidentLibrary
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from tests.test_replay_ui_support import fresh_copy
from views.incident_library import IncidentLibraryView


@pytest.fixture
def library(tmp_path):
    rec = fresh_copy(tmp_path)
    store = RecordingStore(rec.db)
    lib = IncidentLibrary(store)
    proposed = lib.propose(RecordingReader(store))
    assert proposed, "the gas leak is proposed as an incident"
    span = RecordingReader(store).time_span()
    assert span is not None
    lib.bookmark("Ventilation drill", "fans in zone 9 started late", span[0], span[0] + 2_000_000)
    lib.bookmark("Quiet start", "nothing happens here", span[0], span[0] + 500_000)
    yield store, lib
    store.close()


@pytest.fixture
def panel(qtbot, library):
    _store, lib = library
    view = IncidentLibraryView(lib)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    return view


def titles(view: IncidentLibraryView) -> list[str]:
    return [view.table.item(r, 0).text().removeprefix("★ ") for r in range(view.table.rowCount())]


def test_lists_proposed_incidents_and_bookmarks_with_their_figures(panel):
    shown = titles(panel)
    assert "Ventilation drill" in shown and "Quiet start" in shown
    auto = next(i for i in panel.incidents if i.kind == "auto")
    row = panel.incidents.index(auto)
    assert panel.table.item(row, 3).text() in {"▲ I", "◆ II", "■ III", "● IV"}
    assert panel.table.item(row, 4).text() == str(auto.alarm_count)
    assert not panel.table.item(row, 0).text().startswith("★")  # proposed, not bookmarked
    drill = panel.incidents.index(
        next(i for i in panel.incidents if i.title == "Ventilation drill")
    )
    assert panel.table.item(drill, 0).text() == "★ Ventilation drill"
    assert "fans in zone 9" in panel.table.item(drill, 0).toolTip()
    assert panel.count.text() == f"{len(panel.incidents)} incidents"


def test_search_filters_titles_and_notes(panel, qtbot):
    qtbot.keyClicks(panel.search_box, "ventilation")
    assert titles(panel) == ["Ventilation drill"]
    panel.search_box.setText("NOTHING HAPPENS")  # notes too, any case
    assert titles(panel) == ["Quiet start"]
    panel.search_box.setText("no such incident")
    assert titles(panel) == [] and not panel.replay_button.isEnabled()


def test_kind_filter_shows_only_that_kind(panel):
    panel.kind.setCurrentIndex(panel.kind.findData("bookmark"))
    assert sorted(titles(panel)) == ["Quiet start", "Ventilation drill"]
    panel.kind.setCurrentIndex(panel.kind.findData("auto"))
    assert all(i.kind == "auto" for i in panel.incidents) and panel.incidents


def test_double_click_and_replay_button_choose_the_incident(panel, qtbot):
    panel.search_box.setText("drill")
    rect = panel.table.visualItemRect(panel.table.item(0, 0))
    viewport = panel.table.viewport()
    with qtbot.waitSignal(panel.incidentChosen) as chosen:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args[0].title == "Ventilation drill"
    with qtbot.waitSignal(panel.incidentChosen) as chosen:
        panel.replay_button.click()
    assert chosen.args[0].title == "Ventilation drill"


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X server")
def test_choosing_an_incident_replays_its_range_from_its_start(library, qtbot):
    from backend_client.client import Identity
    from backend_client.model.replay_training import ReplaySeat
    from backend_client.recording.training import TrainingLog
    from views.replay_session import ReplaySession

    store, _lib = library
    model = ConsoleModel()
    seat = ReplaySeat(
        model, RecordingReader(store), lambda: round(model.clock() * 1e6), Identity("t"),
        TrainingLog(store),
    )  # fmt: skip
    session = ReplaySession(store, model, seat)
    session.load_range()
    view = session.library_view
    view.refresh()
    auto = next(i for i in view.incidents if i.kind == "auto")
    view.select_incident(auto.id)
    view.replay_button.click()
    source = session.source
    assert session.incident == auto
    assert (source.start_us, source.end_us, source.now_us) == (
        auto.start_us,
        auto.end_us,
        auto.start_us,
    )
    assert session.bar.timeline.t0_us == auto.start_us
    assert auto.title in session.bar.source_label.toolTip()
    seat.stop()
