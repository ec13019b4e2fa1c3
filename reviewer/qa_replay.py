"""A decision's timeline as a QA lead replays it: steps in order, a play head that moves
at 1x or faster, arrow-key stepping. Pure bookkeeping, no I/O, no Qt: the UI's timer calls
`advance` and paints what `current` says.

The timeline only tells when the reviewer revealed; it never reveals anything itself. The
QA lead's own reveals go through their own exposure gate (see `reviewer.qa`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.protocol import DecisionEvent, QADecision

SPEEDS = (1.0, 2.0, 4.0, 8.0)


@dataclass(frozen=True)
class ReplayStep:
    """One thing that happened, `at_ms` after the item was first shown."""

    at_ms: int
    kind: str
    """shown, reveal, undo, note, skipped, decided, late, superseded, or the event type."""
    text: str
    duration_ms: int | None = None


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.1f} s"


def _reveals(events: list[DecisionEvent], end_ms: int) -> dict[int, ReplayStep]:
    """Each reveal_start paired with the reveal_end after it (or the end of the item)."""
    steps: dict[int, ReplayStep] = {}
    for n, event in enumerate(events):
        if event.type != "reveal_start":
            continue
        finish = next((e for e in events[n + 1:] if e.type == "reveal_end"), None)
        if finish is not None and finish.duration_ms is not None:
            duration = finish.duration_ms
        else:
            duration = max(0, (finish.at_ms if finish else end_ms) - event.at_ms)
        how = f" ({event.mode})" if event.mode else ""
        steps[n] = ReplayStep(event.at_ms, "reveal",
                              f"Revealed{how} for {_seconds(duration)}", duration)
    return steps


def replay_steps(decision: QADecision) -> list[ReplayStep]:
    """The steps of a decision in time order, ending with its fate (late, superseded)."""
    events = sorted(decision.events, key=lambda e: e.at_ms)
    end_ms = max((e.at_ms for e in events), default=decision.handle_ms or 0)
    reveals = _reveals(events, end_ms)
    labels = f" with {', '.join(decision.labels)}" if decision.labels else ""
    steps: list[ReplayStep] = []
    for n, event in enumerate(events):
        if event.type == "reveal_start":
            steps.append(reveals[n])
        elif event.type == "reveal_end":
            continue  # told by its reveal step
        elif event.type == "decided":
            steps.append(ReplayStep(event.at_ms, "decided",
                                    f"Decided {event.action or decision.action}{labels}"))
        elif event.type == "shown":
            steps.append(ReplayStep(event.at_ms, "shown", "Shown"))
        elif event.type == "undo":
            steps.append(ReplayStep(event.at_ms, "undo", "Undid the decision"))
        elif event.type == "note":
            steps.append(ReplayStep(event.at_ms, "note", f"Note: {decision.note or ''}"))
        elif event.type == "skipped":
            steps.append(ReplayStep(event.at_ms, "skipped", "Skipped"))
        else:
            steps.append(ReplayStep(event.at_ms, event.type, event.type.replace("_", " ")))
    if not any(step.kind == "decided" for step in steps):
        steps.append(ReplayStep(end_ms, "decided", f"Decided {decision.action}{labels}"))
    if decision.status == "late":
        steps.append(ReplayStep(end_ms, "late", "Late: the lease had run out"))
    if decision.superseded_by is not None:
        steps.append(ReplayStep(end_ms, "superseded", "Superseded by a later decision"))
    return steps


class ReplayTimeline:
    """A play head over a decision's steps."""

    def __init__(self, decision: QADecision) -> None:
        self.decision = decision
        self.steps = replay_steps(decision)
        self.duration_ms = max((s.at_ms + (s.duration_ms or 0) for s in self.steps), default=0)
        self.position_ms = 0.0
        self.speed = SPEEDS[0]
        self.playing = False

    @property
    def index(self) -> int:
        """The last step at or before the play head (-1 before the first)."""
        passed = [n for n, step in enumerate(self.steps) if step.at_ms <= self.position_ms]
        return passed[-1] if passed else -1

    @property
    def current(self) -> ReplayStep | None:
        return self.steps[self.index] if self.index >= 0 else None

    def step(self, delta: int) -> ReplayStep | None:
        """Jump to the next (+1) or previous (-1) step; stops playing."""
        self.playing = False
        target = max(0, min(len(self.steps) - 1, self.index + delta))
        if self.steps:
            self.position_ms = float(self.steps[target].at_ms)
        return self.current

    def seek(self, position_ms: float) -> None:
        self.position_ms = max(0.0, min(float(self.duration_ms), position_ms))

    def play(self, speed: float | None = None) -> None:
        if speed is not None:
            self.speed = speed
        if self.position_ms >= self.duration_ms:
            self.position_ms = 0.0
        self.playing = True

    def faster(self) -> float:
        """The next speed up (wrapping to 1x)."""
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        return self.speed

    def advance(self, elapsed_ms: float) -> bool:
        """Move the head by `elapsed_ms` of wall time at the current speed while playing;
        False once the end is reached (and playing stops)."""
        if not self.playing:
            return False
        self.seek(self.position_ms + elapsed_ms * self.speed)
        if self.position_ms >= self.duration_ms:
            self.playing = False
        return self.playing

    def reviewer_revealing(self) -> bool:
        """Whether the reviewer was revealing at the play head (shown as a mark only)."""
        return any(step.kind == "reveal" and step.at_ms <= self.position_ms
                   < step.at_ms + (step.duration_ms or 0) for step in self.steps)
