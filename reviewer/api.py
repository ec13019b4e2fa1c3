"""The review server's HTTP API as Python calls, one method per route.

Every reply is validated against `reviewer.protocol`; transport failures become
`ServerUnavailable`, 401 `AuthExpired`, 403 `Forbidden`, other 4xx `RequestRejected`
and anything that does not validate `ProtocolError`. Never called on the GUI thread:
every method may block on the network. One httpx.Client per ApiClient, which is
safe to share between the sync thread and a download thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from reviewer.api_replies import parse_reply, raise_for_status, read_capped
from reviewer.api_wellness import WellnessRoutes
from reviewer.errors import (
    AuthExpired,
    BadCredentials,
    LeaseExpired,
    MediaRejected,
    ProtocolError,
    RequestRejected,
    ServerUnavailable,
)
from reviewer.net_errors import InvalidServerAddress, ReplyTooLarge
from reviewer.protocol import (
    API_PREFIX,
    MAX_MEDIA_BYTES,
    BreakBatch,
    BreakEntry,
    BreakResults,
    Decision,
    DecisionBatch,
    DecisionResults,
    ExposureBatch,
    ExposureEntry,
    ExposureResults,
    GoldItemPublic,
    GoldMark,
    LeaseReleased,
    LeaseRenewed,
    LeaseReply,
    LeaseRequest,
    LogoutReply,
    MeReply,
    PolicyReply,
    QADecisions,
    QAReport,
    QAVerdict,
    QAVerdictBatch,
    QAVerdictResults,
    QueuesReply,
    TokenReply,
    TokenRequest,
)

M = TypeVar("M", bound=BaseModel)
CLIENT_NAME = "reviewer-workstation/0.1"
MAX_REPLY_BYTES = 32 * 1024 * 1024
"""A JSON reply larger than this is refused while it streams in, never buffered whole."""


def normalize_server_url(url: str) -> str:
    """'http://host:8000/api/v1/' -> 'http://host:8000' (the form stored and keyed on).
    InvalidServerAddress, with a sentence, when it is not a usable address."""
    typed = url
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    scheme, rest = url.split("://", 1)
    if scheme.lower() not in ("http", "https"):
        raise InvalidServerAddress(typed, "only http:// and https:// are supported")
    rest = rest.rstrip("/")
    if rest.endswith(API_PREFIX):
        rest = rest[: -len(API_PREFIX)].rstrip("/")
    url = f"{scheme.lower()}://{rest}"
    validate_server_url(typed, url)
    return url


def validate_server_url(typed: str, url: str) -> None:
    """Raise InvalidServerAddress unless `url` parses with a host and a sane port."""
    if not url.strip() or any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidServerAddress(typed, "it is empty or contains spaces")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidServerAddress(typed, "it cannot be read as a web address") from exc
    if not parsed.host:
        raise InvalidServerAddress(typed, "it names no host")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise InvalidServerAddress(typed, "its port must be between 1 and 65535")
    if parsed.query or parsed.fragment:
        raise InvalidServerAddress(typed, "it must not contain ? or #")


class ApiClient(WellnessRoutes):
    """A client of one review server, optionally holding a bearer token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 10,
        transport: httpx.BaseTransport | None = None,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.base_url = normalize_server_url(base_url)
        self.token = token
        self.max_reply_bytes = max_reply_bytes
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"User-Agent": CLIENT_NAME},
        )

    def close(self) -> None:
        self._http.close()

    # --- plumbing ---------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _request(self, method: str, path: str, *, body: BaseModel | None = None,
                 params: dict[str, Any] | None = None) -> httpx.Response:
        content = body.model_dump_json().encode() if body is not None else None
        headers = self._headers()
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            request = self._http.build_request(method, path, content=content, params=params,
                                               headers=headers)
            response = self._send_capped(request)
        except httpx.TransportError as exc:
            raise ServerUnavailable() from exc
        except httpx.InvalidURL as exc:
            raise ServerUnavailable("The server address is not valid.") from exc
        except httpx.HTTPError as exc:  # undecodable body, redirect loop...
            raise ProtocolError() from exc
        raise_for_status(response)
        return response

    def _send_capped(self, request: httpx.Request) -> httpx.Response:
        """Send and read the reply under `max_reply_bytes` (ReplyTooLarge past it)."""
        streamed = self._http.send(request, stream=True)
        try:
            data = read_capped(streamed, self.max_reply_bytes,
                                ReplyTooLarge(self.max_reply_bytes))
        finally:
            streamed.close()
        # the bytes are already decoded: the copy must not decode them again
        kept = [(k, v) for k, v in streamed.headers.multi_items()
                if k.lower() not in ("content-encoding", "content-length")]
        return httpx.Response(streamed.status_code, headers=kept, content=data, request=request)

    def _call(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        return parse_reply(model, self._request(method, path, **kwargs))

    # --- auth -------------------------------------------------------------------------

    def login(self, username: str, password: str) -> TokenReply:
        """POST /auth/token. Sets this client's token on success."""
        try:
            body = TokenRequest(username=username, password=password)
        except ValidationError as exc:
            raise BadCredentials() from exc
        try:
            reply = self._call(TokenReply, "POST", "/auth/token", body=body)
        except AuthExpired as exc:
            raise BadCredentials() from exc
        except RequestRejected as exc:
            if exc.status == 422:
                raise BadCredentials() from exc
            raise
        self.token = reply.access_token
        return reply

    def me(self) -> MeReply:
        return self._call(MeReply, "GET", "/me")

    def logout(self) -> LogoutReply:
        """POST /auth/logout: the server revokes this client's token, which is dropped."""
        try:
            return self._call(LogoutReply, "POST", "/auth/logout")
        finally:
            self.token = None

    # --- queues, leases, media -------------------------------------------------------------

    def queues(self) -> QueuesReply:
        return self._call(QueuesReply, "GET", "/queues")

    def lease(self, queue: str, max_items: int = 20, *, request_id: str | None = None,
              offline: bool = False) -> LeaseReply:
        """POST /queues/{queue}/leases; send the same `request_id` again after a lost
        reply to get the same lease back. `offline`: a batch taken offline on purpose."""
        body = LeaseRequest(max_items=max_items, request_id=request_id, offline=offline)
        return self._call(LeaseReply, "POST", f"/queues/{queue}/leases", body=body)

    def renew_lease(self, lease_id: str) -> LeaseRenewed:
        try:
            return self._call(LeaseRenewed, "POST", f"/leases/{lease_id}/renew")
        except RequestRejected as exc:
            if exc.status in (404, 409, 410):
                raise LeaseExpired() from exc
            raise

    def release_lease(self, lease_id: str) -> LeaseReleased:
        return self._call(LeaseReleased, "DELETE", f"/leases/{lease_id}")

    def media(self, sha256: str, mime: str, *, max_bytes: int = MAX_MEDIA_BYTES) -> bytes:
        """GET /media/{sha256}: streamed under a size cap, hash verified before return."""
        headers = {**self._headers(), "Accept": mime}
        try:
            with self._http.stream("GET", f"/media/{sha256}", headers=headers) as response:
                if response.status_code >= 400:
                    response.read()
                    raise_for_status(response)
                data = read_capped(response, max_bytes, MediaRejected(
                    "The file is larger than the server said it would be."))
        except httpx.TransportError as exc:
            raise ServerUnavailable() from exc
        except httpx.HTTPError as exc:
            raise MediaRejected("The file could not be downloaded intact.") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise MediaRejected("The downloaded file does not match its fingerprint "
                                "(it may be corrupt or tampered with).")
        return data

    # --- decisions, policy, exposure ----------------------------------------------------

    def send_decisions(self, decisions: Sequence[Decision]) -> DecisionResults:
        body = DecisionBatch(decisions=list(decisions))
        return self._call(DecisionResults, "POST", "/decisions", body=body)

    def policy(self) -> PolicyReply:
        return self._call(PolicyReply, "GET", "/policy")

    def send_exposure(self, entries: Sequence[ExposureEntry]) -> ExposureResults:
        body = ExposureBatch(entries=list(entries))
        return self._call(ExposureResults, "POST", "/exposure", body=body)

    def send_breaks(self, entries: Sequence[BreakEntry]) -> BreakResults:
        """POST /breaks: the breaks taken, idempotent by break id."""
        body = BreakBatch(entries=list(entries))
        return self._call(BreakResults, "POST", "/breaks", body=body)

    def qa_decisions(self, **filters: Any) -> QADecisions:
        """GET /qa/decisions (qa_lead); filters go to the query string as given."""
        params = {k: v for k, v in filters.items() if v is not None}
        return self._call(QADecisions, "GET", "/qa/decisions", params=params)

    def qa_verdicts(self, verdicts: Sequence[QAVerdict]) -> QAVerdictResults:
        """POST /qa/verdicts (qa_lead): idempotent by verdict id."""
        body = QAVerdictBatch(verdicts=list(verdicts))
        return self._call(QAVerdictResults, "POST", "/qa/verdicts", body=body)

    def qa_report(self, **filters: Any) -> QAReport:
        """GET /qa/report (qa_lead): reviewer, queue, since, until."""
        params = {k: v for k, v in filters.items() if v is not None}
        return self._call(QAReport, "GET", "/qa/report", params=params)

    def qa_mark_gold(self, item_id: str, action: str) -> GoldItemPublic:
        """POST /qa/gold (qa_lead): the item becomes gold with its expected action."""
        body = GoldMark(item_id=item_id, action=action)
        return self._call(GoldItemPublic, "POST", "/qa/gold", body=body)
