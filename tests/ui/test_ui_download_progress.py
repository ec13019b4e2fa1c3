"""While `fill()` downloads a batch, the status bar shows its progress, then hides it."""

from __future__ import annotations

from typing import Any

from ui.status_bar import ReviewStatusBar


def test_batch_download_shows_progress_up_to_the_batch_size_then_hides_it(
    qtbot: Any, open_review: Any, monkeypatch: Any
) -> None:
    shown: list[tuple[int, int, bool, int, int]] = []
    original = ReviewStatusBar.show_progress

    def recording(self: ReviewStatusBar, done: int, total: int) -> None:
        original(self, done, total)
        bar = self.progress
        shown.append((done, total, bar.isVisible(), bar.maximum(), bar.value()))

    monkeypatch.setattr(ReviewStatusBar, "show_progress", recording)
    window = open_review("violent-imagery")  # mostly images: a batch with media to fetch
    qtbot.waitUntil(lambda: not window.filling, timeout=10000)

    with_media = [c for c in window.session.items() if c.item.media is not None]
    batch = len(with_media)
    assert batch >= 10
    downloading = [s for s in shown if s[1] > 0 and s[0] < s[1]]
    assert downloading, shown
    assert all(s[1] == batch for s in downloading)  # one batch: every item with media
    assert all(visible and maximum == batch and value == done
               for done, _total, visible, maximum, value in downloading)
    assert [s[0] for s in downloading] == list(range(batch))  # each download, in order
    assert any(s[:3] == (batch, batch, False) for s in shown)  # the last one done: hidden
    assert shown[-1][:3] == (0, 0, False)  # fill finished: hidden
    assert not window.status.progress.isVisible()
