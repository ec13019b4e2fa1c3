"""The QA lead's service, handed out by the Workstation: find decisions, replay them with
the QA lead's own exposure gate, judge them blind, read the report, mark gold items.

Methods marked [W] talk to the server or the vault and belong on a worker; [G] ones are
safe on the GUI thread (at most one small local commit). Verdicts go to the local outbox
first and reach the server exactly once through `VerdictSync` (idempotent by verdict id),
so judging works offline. What was fetched stays in memory, so the finder and the report
keep showing it when the server cannot be reached.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import uuid4

from offline_cache.store import LocalStore
from offline_cache.vault import MediaVault
from reviewer.api import ApiClient
from reviewer.connectivity import Connectivity
from reviewer.errors import MediaRejected, ReviewerError, ServerUnavailable
from reviewer.exposure_gate import ExposureGate
from reviewer.protocol import (
    GoldItemPublic,
    Item,
    PolicyReply,
    QADecision,
    QAReport,
    QAVerdict,
    Taxonomy,
    TaxonomyEntry,
    WellnessPolicy,
    display_media,
)
from reviewer.qa_content import ReplayContent

MAX_VERDICTS_PER_BATCH = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecisionQuery:
    """The finder's filters; None is "any"."""

    reviewer: str | None = None
    queue: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    escalated: bool | None = None
    late: bool | None = None
    superseded: bool | None = None
    sample_per_reviewer: int | None = None
    seed: int | None = None
    limit: int = 100

    def params(self) -> dict[str, Any]:
        values = {key: getattr(self, key) for key in self.__dataclass_fields__}
        for key in ("since", "until"):
            if values[key] is not None:
                values[key] = values[key].isoformat()
        for key in ("escalated", "late", "superseded"):
            if values[key] is not None:
                values[key] = "true" if values[key] else "false"
        return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True)
class DecisionPage:
    decisions: list[QADecision]
    next_cursor: str | None
    offline: bool = False
    """True when the server could not be reached: `decisions` is what was fetched before."""


@dataclass
class VerdictSyncReport:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: list[str] = field(default_factory=list)


def make_verdict(decision: QADecision, *, blind_action: str, agree: bool,
                 corrected: str | None = None, note: str | None = None,
                 labels: tuple[str, ...] = ()) -> QAVerdict:
    """The verdict after the side-by-side: the corrected action if given, else the
    reviewer's when the QA lead agrees, else the QA lead's blind call. `blind` says the
    verdict is the blind call unchanged."""
    if corrected:
        action = corrected
    elif agree:
        action = decision.action
    else:
        action = blind_action
    if not agree and action == decision.action:
        raise ValueError("To disagree, choose the action the reviewer should have taken.")
    return QAVerdict(verdict_id=uuid4(), decision_id=decision.decision_id, action=action,
                     labels=list(labels), blind=action == blind_action,
                     note=(note or "").strip() or None)


class VerdictSync:
    """[W] Sends the QA lead's pending verdicts; one round at a time."""

    def __init__(self, store: LocalStore, api: ApiClient, username: str,
                 connectivity: Connectivity | None = None) -> None:
        self.store, self.api, self.username = store, api, username
        self.connectivity = connectivity or Connectivity()
        self._lock = threading.Lock()

    def sync_once(self) -> VerdictSyncReport:
        """Send every pending verdict; the server's answer is recorded in the outbox, so a
        verdict sent twice (lost reply) is stored once and answered `duplicate`."""
        report = VerdictSyncReport()
        with self._lock:
            while True:
                pending = self.store.verdicts_pending(MAX_VERDICTS_PER_BATCH,
                                                      username=self.username)
                if not pending:
                    return report
                try:
                    results = self.api.qa_verdicts(pending)
                except ServerUnavailable:
                    self.connectivity.mark(False)
                    raise
                self.connectivity.mark(True)
                refused = {str(verdict_id) for verdict_id in results.rejected}
                # The reply counts accepted and duplicate; per verdict it names only the
                # refused ones. Either way the server has the others.
                kept = "accepted" if results.accepted else "duplicate"
                self.store.verdict_record_results([
                    (v.verdict_id, "rejected", "The server refused it: the decision is "
                     "unknown or the action is not one of its queue.")
                    if str(v.verdict_id) in refused else (v.verdict_id, kept, None)
                    for v in pending])
                report.sent += len(pending)
                report.accepted += results.accepted
                report.duplicate += results.duplicate
                report.rejected += sorted(refused)


class QAService:
    """One QA lead's quality review."""

    def __init__(self, *, username: str, store: LocalStore, vault: MediaVault, api: ApiClient,
                 policy: PolicyReply | None, connectivity: Connectivity | None = None,
                 on_judged: Callable[[], None] = lambda: None) -> None:
        self.username, self.store, self.vault, self.api = username, store, vault, api
        self.connectivity = connectivity or Connectivity()
        self._on_judged = on_judged
        self.policy = policy
        wellness = policy.wellness if policy is not None else WellnessPolicy()
        self.gate = ExposureGate(store, username, wellness)
        self.replay = ReplayContent(self.gate, self.media_bytes)
        self.verdict_sync = VerdictSync(store, api, username, self.connectivity)
        self._lock = threading.Lock()
        self._fetched: dict[str, QADecision] = {}
        self._report: QAReport | None = None

    # --- finder ---------------------------------------------------------------------------

    def find(self, query: DecisionQuery, cursor: str | None = None) -> DecisionPage:
        """[W] One page of decisions; offline, the fetched ones that match the query's
        reviewer, queue and action."""
        params = query.params()
        if cursor:
            params["cursor"] = cursor
        try:
            reply = self.api.qa_decisions(**params)
        except ServerUnavailable:
            self.connectivity.mark(False)
            return DecisionPage(self._fetched_matching(query), None, offline=True)
        self.connectivity.mark(True)
        with self._lock:
            self._fetched.update({str(d.decision_id): d for d in reply.data})
        self.gate.load([d.item_id for d in reply.data])
        return DecisionPage(reply.data, reply.next_cursor)

    def _fetched_matching(self, query: DecisionQuery) -> list[QADecision]:
        with self._lock:
            fetched = list(self._fetched.values())
        wanted = {"reviewer": query.reviewer, "queue": query.queue, "action": query.action}
        return sorted((d for d in fetched
                       if all(value is None or getattr(d, key) == value
                              for key, value in wanted.items())),
                      key=lambda d: (d.decided_at, str(d.decision_id)), reverse=True)

    # --- replay ---------------------------------------------------------------------------

    def taxonomy(self, queue: str) -> Taxonomy:
        """The queue's actions and labels (from the cached policy), for the blind call."""
        if self.policy is not None and queue in self.policy.taxonomies:
            return self.policy.taxonomies[queue]
        return Taxonomy(actions=[TaxonomyEntry(id="escalate", title="Escalate", key="9")])

    def media_bytes(self, item: Item) -> bytes:
        """[W] The bytes the reviewer's screen showed (the preview when there is one), from
        the encrypted vault or downloaded (hash-checked) into it."""
        ref = display_media(item)
        if ref is None:
            raise MediaRejected("This item has no media.")
        data = self.vault.get(ref.sha256)
        if data is None:
            data = self.api.media(ref.sha256, ref.mime)
            self.vault.put(ref.sha256, data)
        return data

    # --- verdicts -------------------------------------------------------------------------

    def judge(self, verdict: QAVerdict) -> None:
        """[G] Commit the verdict to the local outbox (it syncs later, exactly once)."""
        self.store.verdict_add(verdict, username=self.username)
        self._on_judged()

    def pending_verdicts(self) -> int:
        return self.store.verdict_count_pending(username=self.username)

    def sync_verdicts(self) -> VerdictSyncReport:
        """[W]"""
        return self.verdict_sync.sync_once()

    def after_sync_round(self, report: Any) -> None:
        """[W] A listener of the workstation's sync loop: verdicts go with every round, so
        they share its backoff and its pokes. Failures wait for the next round."""
        if getattr(report, "auth_expired", False):
            return
        try:
            self.verdict_sync.sync_once()
        except ReviewerError as exc:
            log.info("verdicts wait for the next round: %s", exc.message)

    # --- report and gold ------------------------------------------------------------------

    def report(self, **filters: Any) -> tuple[QAReport | None, bool]:
        """[W] (report, offline): offline, the last report fetched (or None)."""
        try:
            report = self.api.qa_report(**{k: v.isoformat() if isinstance(v, datetime) else v
                                           for k, v in filters.items()})
        except ServerUnavailable:
            self.connectivity.mark(False)
            return self._report, True
        self.connectivity.mark(True)
        self._report = report
        return report, False

    def mark_gold(self, item_id: str, action: str) -> GoldItemPublic:
        """[W]"""
        return self.api.qa_mark_gold(item_id, action)
