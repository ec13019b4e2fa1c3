"""Background sync: the outbox to the server, leases kept alive, the exposure ledger up.

`SyncEngine.sync_once` does one round (decisions in batches of at most 200, lease
renewals, exposure entries) and reports what happened; `SyncLoop` runs it on its own
thread with exponential backoff and jitter while the server is unreachable or failing,
never sooner than a `Retry-After` asked. The thread never dies of an exception: it
logs it, reports it and backs off. Plain threading, no Qt: the UI bridges `on_report`
to a signal. Never run on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from offline_cache.store import LocalStore
from reviewer.api import ApiClient
from reviewer.backoff import Backoff
from reviewer.clock import as_utc
from reviewer.connectivity import Connectivity, InFlight
from reviewer.errors import (
    AuthExpired,
    Forbidden,
    LeaseExpired,
    ProtocolError,
    RequestRejected,
    ReviewerError,
    ServerUnavailable,
)
from reviewer.net_errors import retry_after_of
from reviewer.protocol import MAX_DECISIONS_PER_BATCH, Decision, DecisionResult, LeaseReply

log = logging.getLogger(__name__)
MAX_BATCHES_PER_ROUND = 50


@dataclass(frozen=True)
class SyncReport:
    """What one sync round did. `rejected` holds (decision_id, reason) pairs."""

    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    late: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    online: bool = True
    exposure_sent: int = 0
    breaks_sent: int = 0
    leases_renewed: int = 0
    auth_expired: bool = False
    error: str | None = None
    retry_in_s: float | None = None
    retry_after: float | None = None
    """The server's Retry-After, when it sent one."""
    failed: bool = False
    """The round failed as a whole (an unexpected error): retried with backoff."""


class SyncEngine:
    """One sync round at a time over a LocalStore and an ApiClient."""

    def __init__(self, store: LocalStore, api: ApiClient, username: str, *,
                 inflight: InFlight | None = None,
                 connectivity: Connectivity | None = None) -> None:
        self.store = store
        self.api = api
        self.username = username
        self.inflight = inflight or InFlight()
        self.connectivity = connectivity or Connectivity()
        self.queues: set[str] = set()
        self._lease_span: dict[str, timedelta] = {}
        self._dead_leases: set[str] = set()
        self._round = threading.Lock()
        self.last_report: SyncReport | None = None

    def watch_queue(self, queue: str) -> None:
        """Keep this queue's open leases renewed."""
        self.queues.add(queue)

    def note_lease(self, reply: LeaseReply) -> None:
        """Remember a fresh lease's span so it is renewed when half of it is gone."""
        self.queues.add(reply.queue)
        self._lease_span[reply.lease_id] = reply.expires_at - datetime.now(UTC)

    def sync_once(self) -> SyncReport:
        with self._round:
            try:
                report = self._round_trip()
            except ServerUnavailable as exc:
                report = SyncReport(online=False, error=exc.message,
                                    retry_after=retry_after_of(exc))
            except AuthExpired as exc:
                report = SyncReport(auth_expired=True, error=exc.message)
            except ReviewerError as exc:
                report = SyncReport(error=exc.message, failed=True)
            except Exception as exc:  # a full disk, a bug: say it, back off, go on
                log.exception("sync round failed")
                report = SyncReport(error=str(exc) or type(exc).__name__, failed=True)
            self.connectivity.mark(report.online)
            self.last_report = report
            self._checkpoint()
            return report

    def _checkpoint(self) -> None:
        """The local store's WAL moves into its file here, not inside a decision's commit."""
        try:
            self.store.checkpoint()
        except Exception:  # the next round tries again; meanwhile the WAL only grows
            log.warning("checkpoint of the local store failed", exc_info=True)

    def _round_trip(self) -> SyncReport:
        counts = {"accepted": 0, "duplicate": 0, "late": 0}
        rejected: list[tuple[str, str]] = []
        errors: list[str] = []
        sent = 0
        try:
            for _ in range(MAX_BATCHES_PER_ROUND):
                batch = self._take_batch()
                if not batch:
                    break
                sent += len(batch)
                self._send(batch, counts, rejected)
        except ProtocolError as exc:
            errors.append(exc.message)  # keep going with leases and exposure; retry later
        renewed = self._stage(self._renew_leases, errors)
        exposure = self._stage(self._send_exposure, errors)
        breaks = self._stage(self._send_breaks, errors)
        return SyncReport(sent=sent, rejected=rejected, exposure_sent=exposure,
                          breaks_sent=breaks,
                          leases_renewed=renewed, error=errors[0] if errors else None,
                          **counts)

    @staticmethod
    def _stage(step: Callable[[], int], errors: list[str]) -> int:
        """Run one sync step; a refusal of that step does not hide the others' results."""
        try:
            return step()
        except (ProtocolError, RequestRejected, Forbidden) as exc:
            errors.append(exc.message)
            return 0

    def _take_batch(self) -> list[Decision]:
        with self.inflight.lock:
            batch = self.store.outbox_pending(limit=MAX_DECISIONS_PER_BATCH,
                                               username=self.username)
            self.inflight.add(d.decision_id for d in batch)
        return batch

    def _send(self, batch: list[Decision], counts: dict[str, int],
              rejected: list[tuple[str, str]]) -> None:
        ids = [d.decision_id for d in batch]
        try:
            try:
                results = self.api.send_decisions(batch).results
            except RequestRejected as exc:
                results = self._send_one_by_one(batch, exc)
            wanted = set(ids)
            # an answer to something we did not ask is ignored
            results = [r for r in results if r.decision_id in wanted]
            self.store.outbox_record_results(
                (r.decision_id, r.status, r.reason) for r in results)
            for result in results:
                if result.status == "rejected":
                    rejected.append((str(result.decision_id), result.reason or ""))
                else:
                    counts[result.status] += 1
        finally:
            self.inflight.discard(ids)

    def _send_one_by_one(self, batch: list[Decision], refusal: RequestRejected
                         ) -> list[DecisionResult]:
        """The server refused a whole batch (e.g. one decision it cannot parse): send
        each alone so one bad decision is marked rejected instead of blocking the rest."""
        if len(batch) == 1:
            return [DecisionResult(decision_id=batch[0].decision_id, status="rejected",
                                   reason=refusal.message[:500])]
        results: list[DecisionResult] = []
        for decision in batch:
            try:
                results += self.api.send_decisions([decision]).results
            except RequestRejected as exc:
                results.append(DecisionResult(decision_id=decision.decision_id,
                                              status="rejected", reason=exc.message[:500]))
        return results

    def _renew_leases(self) -> int:
        renewed = 0
        now = datetime.now(UTC)
        for queue in sorted(self.queues):
            busy = {c.lease_id for c in self.store.undecided_items(queue, self.username)}
            for lease in self.store.open_leases(queue, self.username):
                if lease.lease_id not in busy or lease.lease_id in self._dead_leases:
                    continue
                left = as_utc(lease.expires_at) - now
                span = self._lease_span.setdefault(lease.lease_id, left)
                if left > span / 2:
                    continue
                try:
                    reply = self.api.renew_lease(lease.lease_id)
                except LeaseExpired:
                    self._dead_leases.add(lease.lease_id)  # decisions will come back late
                    continue
                self.store.update_lease_expiry(reply.lease_id, reply.expires_at)
                self._lease_span[reply.lease_id] = as_utc(reply.expires_at) - now
                renewed += 1
        return renewed

    def _send_breaks(self) -> int:
        """The breaks taken, for the wellness report (breaks taken against breaks due)."""
        entries = self.store.breaks_unsynced(username=self.username)
        if not entries:
            return 0
        self.api.send_breaks(entries)
        self.store.breaks_mark_synced([e.break_id for e in entries])
        return len(entries)

    def _send_exposure(self) -> int:
        entries = self.store.ledger_unsynced(limit=500, username=self.username)
        if not entries:
            return 0
        self.api.send_exposure(entries)
        self.store.ledger_mark_synced([e.entry_id for e in entries])
        return len(entries)


ReportListener = Callable[[SyncReport], None]


class SyncLoop(threading.Thread):
    """Runs `engine.sync_once` every `interval` seconds, sooner when poked, later (with
    backoff) while the server is unreachable. Calls listeners from this thread.

    A poke while online syncs after `settle` seconds, so a burst of decisions goes out
    as one batch and the round does not compete with the decision that follows for the
    store's write lock. A poke while offline does not cut the backoff short: a reviewer
    deciding quickly must not turn into a retry storm against a dead server.
    """

    def __init__(self, engine: SyncEngine, on_report: ReportListener | None = None, *,
                 interval: float = 5.0, backoff: Backoff | None = None,
                 settle: float = 0.5) -> None:
        super().__init__(name="reviewer-sync", daemon=True)
        self.engine = engine
        self.interval = interval
        self.settle = settle
        self.backoff = backoff or Backoff()
        self._listeners: list[ReportListener] = [on_report] if on_report else []
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._urgent = threading.Event()
        self.last_report: SyncReport | None = None

    def add_listener(self, listener: ReportListener) -> None:
        self._listeners.append(listener)

    def poke(self) -> None:
        """Sync soon (e.g. right after a decision)."""
        self._wake.set()

    def stop(self, timeout: float | None = 5.0) -> None:
        self._stopped.set()
        self._urgent.set()
        self._wake.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def retry_now(self) -> None:
        """Sync at once, even while backing off (the reviewer pressed F5)."""
        self._urgent.set()
        self._wake.set()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                report, delay = self._one_round()
            except Exception:  # never let the thread die: log, back off, go on
                log.exception("sync loop failed")
                report = SyncReport(error="Sync failed unexpectedly.", failed=True)
                delay = self.backoff.next_delay()
            self._tell(report)
            self._sleep(delay, pokes_wake=report.online and not report.failed)

    def _one_round(self) -> tuple[SyncReport, float]:
        report = self.engine.sync_once()
        healthy = report.online and not report.auth_expired and not report.failed
        if healthy:
            self.backoff.reset()
            delay = self.interval
        else:
            delay = self.backoff.next_delay(report.retry_after)
        report = replace(report, retry_in_s=None if healthy else delay)
        self.last_report = report
        return report, delay

    def _tell(self, report: SyncReport) -> None:
        for listener in list(self._listeners):
            try:
                listener(report)
            except Exception:  # a listener's bug must not stop the sync
                log.exception("sync listener failed")

    def _sleep(self, delay: float, *, pokes_wake: bool) -> None:
        if not pokes_wake:
            self._urgent.wait(delay)  # only stop() or retry_now() cut a backoff short
            self._urgent.clear()
            self._wake.clear()
            return
        if self._wake.wait(delay):
            self._stopped.wait(self.settle)
        self._wake.clear()
