"""The Qt binding must not leak references to None: on Python 3.11 that kills the console."""

import sys

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QPen


def test_painting_calls_leave_the_refcount_of_none_unchanged(qapp):
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(2000):
            painter.setPen(QPen())
            painter.drawLine(QPointF(0, 0), QPointF(5, 5))
            painter.drawText(QRectF(0, 0, 50, 20), 0, "x")
        drift = sys.getrefcount(None) - before
    finally:
        painter.end()
    assert drift > -500, f"None lost {-drift} references in 6000 painter calls"
