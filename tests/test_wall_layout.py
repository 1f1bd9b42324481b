"""Wall layout files: the bundled ones load, and every mistake is named by file, field and value."""

import json
from pathlib import Path

import pytest

from console.wall_layout import (
    FORMAT,
    WallLayoutError,
    assign_screens,
    load_wall_layout,
    wall_layout_from_dict,
)

LAYOUTS = Path(__file__).resolve().parents[1] / "resources" / "layouts"


def layout(**changes):
    doc = {
        "format": FORMAT,
        "name": "test wall",
        "screens": [
            {"screen": 0, "pages": [{"view": "alarm_queue"}]},
            {"screen": "WALL-C", "pages": [{"view": "scene"}]},
            {"screen": 2, "cycle_s": 20, "pages": [{"view": "tiles"}, {"view": "kpis"}]},
        ],
    }
    doc.update(changes)
    return doc


def screen_doc(**changes):
    doc = {"screen": 0, "pages": [{"view": "alarm_queue"}]}
    doc.update(changes)
    return doc


@pytest.mark.parametrize("path", sorted(LAYOUTS.glob("wall-*.json")), ids=lambda p: p.name)
def test_every_bundled_wall_layout_loads(path):
    wall = load_wall_layout(path)
    assert wall.screens and all(screen.pages for screen in wall.screens)


def test_the_three_screen_layout_puts_queue_3d_and_the_tile_board_on_separate_screens():
    wall = load_wall_layout(LAYOUTS / "wall-3x1.json")
    assert [s.screen for s in wall.screens] == [0, 1, 2]
    assert [p.view for p in wall.screens[0].pages] == ["alarm_queue"]
    assert [p.view for p in wall.screens[1].pages] == ["scene"]
    assert {"tiles", "plots", "kpis"} <= {p.view for p in wall.screens[2].pages}
    assert wall.screens[2].cycle_s > 0 and wall.hold_levels == (1, 2)


def test_a_valid_document_keeps_screens_pages_and_options():
    wall = wall_layout_from_dict(layout(), "t.json")
    assert wall.name == "test wall" and wall.source == "t.json"
    assert wall.screens[1].screen == "WALL-C"
    assert wall.views() == {"alarm_queue", "scene", "tiles", "kpis"}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (layout(format="wall/0"), "t.json: format = \"wall/0\": must be 'lifeline-wall-layout/1'"),
        (layout(screens=[]), "t.json: screens = []: must be a non-empty list"),
        (layout(colour="red"), 't.json: colour = "red": unknown field'),
        (layout(hold_levels=[0]), "t.json: hold_levels = [0]: must be a list of alarm levels"),
        (
            layout(screens=[screen_doc(pages=[{"view": "weather"}])]),
            't.json: screens[0].pages[0].view = "weather": must be one of alarm_queue, scene',
        ),
        (
            layout(screens=[screen_doc(pages=[{"view": "tiles", "group_by": "street"}])]),
            't.json: screens[0].pages[0].group_by = "street": must be domain, area for a tiles',
        ),
        (
            layout(screens=[screen_doc(pages=[{"view": "scene", "grid": "2x2"}])]),
            't.json: screens[0].pages[0].grid = "2x2": unknown field',
        ),
        (
            layout(screens=[screen_doc(cycle_s=2)]),
            "t.json: screens[0].cycle_s = 2: must be 0 (no cycling) or at least 5",
        ),
        (layout(screens=[screen_doc(pages=[])]), "t.json: screens[0].pages = []: must be a non"),
        (layout(screens=[screen_doc(screen=-1)]), "t.json: screens[0].screen = -1: must be 0"),
        (layout(screens=[screen_doc(screen=True)]), "t.json: screens[0].screen = true: must be"),
        (
            layout(screens=[screen_doc(), screen_doc()]),
            "t.json: screens[1].screen = 0: is already used by screens[0]",
        ),
        ([], "t.json: layout = []: must be an object"),
    ],
)
def test_a_bad_layout_is_refused_naming_the_field_and_the_value(doc, expected):
    with pytest.raises(WallLayoutError) as error:
        wall_layout_from_dict(doc, "t.json")
    assert str(error.value).startswith(expected), str(error.value)


def test_an_unreadable_or_non_json_file_names_itself(tmp_path):
    with pytest.raises(WallLayoutError, match=r"missing\.json: cannot read the layout"):
        load_wall_layout(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(WallLayoutError, match=r"broken.json: not JSON: .*line 1"):
        load_wall_layout(broken)


def test_screens_are_found_by_index_or_by_name():
    wall = wall_layout_from_dict(layout(), "t.json")
    assert assign_screens(wall, ["WALL-L", "WALL-C", "WALL-R"]) == [0, 1, 2]
    swapped = layout(screens=[screen_doc(screen="B"), screen_doc(screen="A")])
    assert assign_screens(wall_layout_from_dict(swapped, "t.json"), ["A", "B"]) == [1, 0]


def test_a_screen_the_machine_lacks_is_an_error_listing_the_screens_it_has(tmp_path):
    path = tmp_path / "wall.json"
    path.write_text(json.dumps(layout()), encoding="utf-8")
    wall = load_wall_layout(path)
    with pytest.raises(WallLayoutError) as error:
        assign_screens(wall, ["WALL-L", "WALL-C"])
    assert str(error.value) == (
        f"{path}: screens[2].screen = 2: no such screen; this machine has 2: 0 'WALL-L', 1 'WALL-C'"
    )
    with pytest.raises(WallLayoutError, match=r"screens\[1\]\.screen = 'WALL-C': no such screen"):
        assign_screens(wall, ["A", "B", "C"])
