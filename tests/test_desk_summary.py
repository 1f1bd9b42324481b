"""On a desk, a summary tile opens its alarms: the queue filtered to that domain or district."""

import pytest
from PySide6.QtWidgets import QDockWidget

from backend_client.city import demo_city_path, load_city
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from console.config import ConsoleConfig
from console.main_window import MainWindow
from console.model_bridge import ModelBridge


@pytest.fixture
def window(qtbot, tmp_path):
    city = load_city(demo_city_path())
    model = ConsoleModel(buffer_capacity=64)
    model.set_catalog(city.sensors, "test")
    model.set_city(city)
    client = BackendClient(model, ClientConfig(), Identity("lin", "supervisor"))  # not started
    config = ConsoleConfig(user="lin", role="supervisor", settings_dir=str(tmp_path))
    window = MainWindow(model, ModelBridge(model), client, config)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    window.alarm_queue.refresh()  # the catalog reached the queue's filters
    yield window, city
    window.scene_view.scene.shutdown()


def test_a_domain_tile_filters_the_queue_to_that_domain_and_brings_it_forward(window):
    win, _city = window
    win.summary.tileActivated.emit("domain", "gas")
    current = win.alarm_queue.filters.current()
    assert current.domains == frozenset({"gas"}) and not current.areas
    queue_dock = win.findChild(QDockWidget, "dock-alarm-queue")
    assert not queue_dock.visibleRegion().isEmpty()


def test_a_district_tile_filters_by_the_districts_name_and_clears_the_domain(window):
    win, city = window
    win.summary.tileActivated.emit("domain", "gas")
    area = city.areas[0]
    win.summary.tileActivated.emit("area", area.id)
    current = win.alarm_queue.filters.current()
    assert current.areas == frozenset({area.name}) and not current.domains
