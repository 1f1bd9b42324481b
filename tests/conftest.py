"""Every test, and every console it starts in a subprocess, keeps its settings (desk layouts) in
a folder of its own instead of the user's ~/.config."""

import pytest


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
