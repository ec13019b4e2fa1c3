"""The replay's timeline: the decision's steps in order and a scrubber, played at 1x or
faster. Left/Right step, P plays or pauses, F changes the speed; the scrubber seeks.
The timeline only marks when the reviewer revealed; it never reveals anything itself.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QSlider, QVBoxLayout, QWidget

from reviewer.qa_replay import ReplayTimeline

FRAME_MS = 33


def _clock(ms: float) -> str:
    return f"{ms / 1000:5.1f} s"


class TimelineView(QWidget):
    """Shows a `ReplayTimeline`; `moved(step_index)` whenever the play head moves."""

    moved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: ReplayTimeline | None = None
        self.steps = QListWidget()
        self.steps.setObjectName("replaySteps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setObjectName("replayScrubber")
        self.scrubber.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scrubber.valueChanged.connect(self._scrubbed)
        self.clock = QLabel(_clock(0))
        self.speed = QLabel("1x")
        self.mark = QLabel("")
        self.mark.setObjectName("reviewerRevealing")
        hint = QLabel("←/→ step · P play/pause · F speed")
        hint.setObjectName("hint")
        bar = QHBoxLayout()
        bar.addWidget(self.scrubber, 1)
        bar.addWidget(self.clock)
        bar.addWidget(self.speed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.mark)
        layout.addWidget(self.steps, 1)
        layout.addWidget(hint)
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self._last_tick = 0.0

    def show_timeline(self, timeline: ReplayTimeline) -> None:
        self.stop()
        self.timeline = timeline
        self.steps.clear()
        for step in timeline.steps:
            self.steps.addItem(f"{_clock(step.at_ms)}  {step.text}")
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, max(1, timeline.duration_ms))
        self.scrubber.setValue(0)
        self.scrubber.blockSignals(False)
        timeline.seek(0)
        self._refresh()

    def step(self, delta: int) -> None:
        if self.timeline is not None:
            self._timer.stop()
            self.timeline.step(delta)
            self._refresh()

    def toggle_play(self) -> None:
        if self.timeline is None:
            return
        if self.timeline.playing:
            self.stop()
        else:
            self.timeline.play()
            self._last_tick = time.monotonic()
            self._timer.start()
        self._refresh()

    def faster(self) -> None:
        if self.timeline is not None:
            self.timeline.faster()
            self._refresh()

    def stop(self) -> None:
        self._timer.stop()
        if self.timeline is not None:
            self.timeline.playing = False

    @property
    def playing(self) -> bool:
        return self.timeline is not None and self.timeline.playing

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = (now - self._last_tick) * 1000, now
        if self.timeline is None or not self.timeline.advance(elapsed):
            self._timer.stop()
        self._refresh()

    def _scrubbed(self, value: int) -> None:
        if self.timeline is not None:
            self.timeline.seek(value)
            self._refresh(from_scrubber=True)

    def _refresh(self, *, from_scrubber: bool = False) -> None:
        timeline = self.timeline
        if timeline is None:
            return
        if not from_scrubber:
            self.scrubber.blockSignals(True)
            self.scrubber.setValue(int(timeline.position_ms))
            self.scrubber.blockSignals(False)
        self.clock.setText(_clock(timeline.position_ms))
        self.speed.setText(f"{timeline.speed:g}x" + (" ▶" if timeline.playing else ""))
        self.mark.setText("The reviewer was revealing here" if timeline.reviewer_revealing()
                          else "")
        index = timeline.index
        self.steps.setCurrentRow(index)
        self.moved.emit(index)

    def route_key(self, key: int, auto_repeat: bool) -> None:
        """A key the window routes here: arrows step (repeat steps on), P and F once."""
        if key == Qt.Key.Key_Left:
            self.step(-1)
        elif key == Qt.Key.Key_Right:
            self.step(+1)
        elif key == Qt.Key.Key_P and not auto_repeat:
            self.toggle_play()
        elif key == Qt.Key.Key_F and not auto_repeat:
            self.faster()
