"""The alarm table's row painter keeps a bounded cache of laid-out texts."""

from PySide6.QtGui import QFont

from widgets import alarm_cells
from widgets.alarm_cells import AlarmCellDelegate


class _NoRows:
    def cells(self, row):
        return None


def test_laid_out_texts_stay_bounded_while_live_values_keep_changing(qtbot, monkeypatch):
    monkeypatch.setattr(alarm_cells, "MAX_CACHED_TEXTS", 50)
    delegate = AlarmCellDelegate(_NoRows())
    font = QFont()
    kept = delegate._static("Gas leak, district 3", 200, font)
    for i in range(500):  # the value column: a new text on every repaint
        delegate._static(f"{i * 0.137:.4g} kPa", 80, font)
        if i % 10 == 0:  # a row on screen repainted now and then keeps its texts
            assert delegate._static("Gas leak, district 3", 200, font) is kept
    assert len(delegate._texts) <= 50
    assert delegate._static("Gas leak, district 3", 200, font) is kept
