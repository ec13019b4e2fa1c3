"""Keeps the next few items decoded, downscaled and protected before they are needed.

Everything slow happens off the GUI thread: the image executor reads media from the
vault and builds the QImage (safe off the GUI thread; QPixmap is not); decoding,
downscaling to the view and the protective transform run in the decoder child process
(`ui.protected.decoder_process`). The GUI thread only turns the
finished QImage into a QPixmap when the result arrives, outside the decision-key path,
so a decision key shows the next item by swapping a ready pixmap.
Results are cached by (item id, view size); a resize simply prepares again.

The Preparer owns its decoder child process and ends it in `close()`: whoever shows
protected content (the review window, the QA replay) closes its preparer when it closes.
It reads media and the policy through `reviewer.protected.ProtectedContent` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from reviewer.errors import ReviewerError
from reviewer.protected import ProtectedContent
from reviewer.protocol import Item, display_media
from ui.protected.decoder_process import DecoderProcess
from ui.workers import Op, Workers
from wellness.protect import MediaError

Size = tuple[int, int]


@dataclass
class PreparedView:
    """One item ready to paint. `error` set means "cannot display" with that reason."""

    item_id: str
    size: Size
    protected: QImage | None = None
    revealed: QImage | None = None
    error: str | None = None
    protected_pixmap: QPixmap | None = field(default=None, repr=False)
    revealed_pixmap: QPixmap | None = field(default=None, repr=False)

    def protected_pix(self) -> QPixmap | None:
        if self.protected_pixmap is None and self.protected is not None:
            self.protected_pixmap = QPixmap.fromImage(self.protected)
        return self.protected_pixmap

    def revealed_pix(self) -> QPixmap | None:
        if self.revealed_pixmap is None and self.revealed is not None:
            self.revealed_pixmap = QPixmap.fromImage(self.revealed)
        return self.revealed_pixmap


def pil_to_qimage(img: Image.Image) -> QImage:
    """Deep-copied RGB888 QImage (owns its pixels; safe to hand to another thread)."""
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    qimage = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()


def prepare_view(
    content: ProtectedContent, item: Item, size: Size, decoder: DecoderProcess
) -> PreparedView:
    """[W] Read, decode and protect one image item. Never raises for bad media."""
    view = PreparedView(item_id=item.id, size=size)
    try:
        data = content.media_bytes(item.id)
        shown = display_media(item)
        mime = shown.mime if shown else "application/octet-stream"
        prepared = decoder.prepare(data, mime, size, content.policy, item.severity,
                                   item.category)
    except MediaError as exc:
        view.error = exc.reason
        return view
    except ReviewerError as exc:
        view.error = exc.message
        return view
    except Exception as exc:  # any decoder surprise is still "cannot display", never a crash
        view.error = f"The image could not be opened ({type(exc).__name__})."
        return view
    view.protected = pil_to_qimage(prepared.protected)
    view.revealed = pil_to_qimage(prepared.revealed)
    return view


class Preparer(QObject):
    """Prepares image items ahead; emits `ready(item_id)` on the GUI thread."""

    ready = Signal(str)

    def __init__(self, content: ProtectedContent, workers: Workers, keep: int = 4,
                 decoder: DecoderProcess | None = None) -> None:
        super().__init__()
        self._content = content
        self._workers = workers
        self.decoder = decoder or DecoderProcess()
        self._keep = keep
        self._cache: dict[tuple[str, Size], PreparedView] = {}
        self._in_flight: set[tuple[str, Size]] = set()

    def get(self, item_id: str, size: Size) -> PreparedView | None:
        return self._cache.get((item_id, size))

    def forget(self) -> None:
        """Drop every prepared view (the protection changed): they are prepared again."""
        self._cache.clear()

    def close(self) -> None:
        """End the decoder child process; nothing more is prepared."""
        self._cache.clear()
        self.decoder.shutdown()

    def want(self, items: list[Item], size: Size) -> None:
        """Make sure these items (current first) are prepared for `size`; drop the rest."""
        wanted = {(i.id, size) for i in items}
        for key in list(self._cache):
            if key not in wanted:
                del self._cache[key]
        for item in items:
            key = (item.id, size)
            if item.kind != "image" or key in self._cache or key in self._in_flight:
                continue
            self._in_flight.add(key)
            decoder = self.decoder
            Op(lambda it=item, d=decoder: prepare_view(self._content, it, size, d)).success(
                self._store
            ).failure(lambda _e, k=key: self._in_flight.discard(k)).run_on(
                self._workers.images, self._workers
            )

    def _store(self, view: PreparedView) -> None:
        key = (view.item_id, view.size)
        self._in_flight.discard(key)
        view.protected_pix()  # the one GUI-thread conversion, done now rather than on a key
        self._cache[key] = view
        if len(self._cache) > self._keep * 3:
            self._cache.pop(next(iter(self._cache)))
        self.ready.emit(view.item_id)
