"""The facade the UI talks to: login, queues, review sessions, sync.

Like Anki's Collection for aqt: the UI calls this and the ReviewSession it hands
out, never the local store, the vault or httpx. Methods that talk to the server
(login, resume, queues, start_review) belong on a worker thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from offline_cache.store import LocalStore
from offline_cache.vault import MediaVault
from reviewer.api import ApiClient, normalize_server_url
from reviewer.clock import as_utc, count_days_in, utc_now
from reviewer.connectivity import Connectivity, InFlight
from reviewer.coordinator import CoordinatorService
from reviewer.errors import AuthExpired, NotLoggedIn, ReviewerError, ServerUnavailable
from reviewer.offline_work import OfflineWork
from reviewer.preferences import load_preferences, with_preferences
from reviewer.protocol import (
    ESCALATE,
    PolicyReply,
    QueuePublic,
    Taxonomy,
    TaxonomyEntry,
    UserPublic,
)
from reviewer.qa import QAService
from reviewer.secrets import SecretStore, open_secret_store
from reviewer.server_address import require_secure
from reviewer.session import ReviewSession
from reviewer.sync import ReportListener, SyncEngine, SyncLoop

APP_NAME = "reviewer-workstation"
DATA_DIR_ENV = "REVIEWER_DATA_DIR"
SERVER_KEY, USERNAME_KEY, USER_KEY = "server_url", "username", "user"


def default_data_dir() -> Path:
    """REVIEWER_DATA_DIR if set, else the platform's user data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


class Workstation(OfflineWork):
    """One reviewer's workstation over a data directory."""

    def __init__(self, data_dir: Path, store: LocalStore, vault: MediaVault,
                 secrets: SecretStore) -> None:
        self.data_dir = data_dir
        self.store = store
        self.vault = vault
        self.secrets = secrets
        self.api: ApiClient | None = None
        self.username: str | None = None
        self.user: UserPublic | None = None
        self.allow_insecure = False
        """`reviewer --allow-insecure`: the login dialog may use plain http:// to another
        machine (a network the person trusts); off by default."""
        """Who is logged in, with their roles: which workspaces they may open."""
        self.inflight = InFlight()
        self.connectivity = Connectivity()
        self._engine: SyncEngine | None = None
        self._loop: SyncLoop | None = None

    @classmethod
    def open(cls, data_dir: Path | None = None, secrets: SecretStore | None = None
             ) -> Workstation:
        data_dir = Path(data_dir) if data_dir else default_data_dir()
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        secrets = secrets or open_secret_store()
        store = LocalStore(data_dir / "workstation.sqlite3")
        vault = MediaVault(data_dir / "media", secrets.media_key())
        if not secrets.secure:
            # The key lives in memory only: media from an earlier run is unreadable.
            vault.purge()
        return cls(data_dir, store, vault, secrets)

    # --- who and where ----------------------------------------------------------------

    def last_server(self) -> str | None:
        return self.store.get_setting(SERVER_KEY)

    def last_username(self) -> str | None:
        return self.store.get_setting(USERNAME_KEY)

    @property
    def secure_secrets(self) -> bool:
        """False when tokens and the media key live in memory for this session only."""
        return self.secrets.secure

    @property
    def secrets_notice(self) -> str | None:
        """Why the login lives in memory for this session only (no keyring, or a locked
        one), as the window says it; None when secrets are in the keyring."""
        return self.secrets.session_only_reason

    @property
    def logged_in(self) -> bool:
        return self.api is not None and self.api.token is not None

    def login(self, server_url: str, username: str, password: str, *,
              allow_insecure: bool | None = None) -> UserPublic:
        """Log in (network); the token goes to the SecretStore, never to a file.
        InsecureServer for plain http:// to another machine unless `allow_insecure`."""
        server_url = normalize_server_url(server_url)
        if allow_insecure is None:
            allow_insecure = self.allow_insecure
        require_secure(server_url, allow_insecure=allow_insecure)
        api = ApiClient(server_url)
        try:
            reply = api.login(username, password)
        except Exception:
            api.close()
            raise
        self.secrets.set_token(server_url, reply.user.username, reply.access_token)
        self.store.set_setting(SERVER_KEY, server_url)
        self.store.set_setting(USERNAME_KEY, reply.user.username)
        self.store.set_setting(USER_KEY, reply.user.model_dump_json())
        self._use(api, reply.user.username)
        self.user = reply.user
        self._refresh_policy()
        return reply.user

    def resume(self) -> UserPublic | None:
        """Log in again with the stored token (network). None when there is none;
        AuthExpired when the server refuses it (the outbox is untouched). Offline, the
        last known user is returned so work can go on."""
        server, username = self.last_server(), self.last_username()
        token = self.secrets.get_token(server, username) if server and username else None
        if not token:
            return None
        api = ApiClient(server, token)
        try:
            user = api.me().user
        except ServerUnavailable:
            cached = self.store.get_setting(USER_KEY)
            if not cached:
                api.close()
                raise
            self.connectivity.mark(False)
            user = UserPublic.model_validate_json(cached)
        except Exception:
            api.close()
            raise
        self._use(api, user.username)
        self.user = user
        return user

    def _use(self, api: ApiClient, username: str) -> None:
        """Start using a logged-in client. Logging in again as the same user (after
        AuthExpired) only swaps the token, so open sessions and the sync loop go on."""
        current = self.api
        if current is not None and (current.base_url, self.username) == (api.base_url, username):
            current.token = api.token
            api.close()
            self.poke_sync()
            return
        self.stop_sync()
        if current is not None:
            current.close()
        self.api, self.username = api, username
        self._engine = None

    def logout(self) -> bool:
        """Revoke the token on the server (network), forget it and delete cached media.
        Pending decisions stay in the outbox and sync after the next login. False when
        the server could not be told (the token is forgotten here all the same and
        lapses at its expiry)."""
        self.stop_sync()
        server, username = self.last_server(), self.last_username()
        revoked = False
        if server and username:
            token = self.secrets.get_token(server, username)
            revoked = bool(token) and _revoke_token(server, token or "")
            self.secrets.delete_token(server, username)
        self.vault.purge()
        if self.api is not None:
            self.api.close()
        self.api, self._engine, self.user = None, None, None
        return revoked

    def _require_api(self) -> ApiClient:
        if self.api is None or self.username is None:
            raise NotLoggedIn()
        return self.api

    # --- queues and sessions -------------------------------------------------------------

    def queues(self) -> list[QueuePublic]:
        return self._require_api().queues().data

    def coordinator(self) -> CoordinatorService:
        """The wellness coordinator's service: given the API client and nothing else (no
        store, no vault), so the console it serves cannot reach content."""
        return CoordinatorService(self._require_api())

    def _refresh_policy(self, *, fallback: bool = True) -> PolicyReply | None:
        """Fetch the policy in force and cache it; offline, the cached one (or None
        when `fallback` is False)."""
        try:
            reply = self._require_api().policy()
        except ServerUnavailable:
            self.connectivity.mark(False)
            cached = self.store.cached_policy() if fallback else None
            if cached is not None:
                count_days_in(cached.time_zone)
            return cached
        self.connectivity.mark(True)
        self.store.save_policy(reply)
        count_days_in(reply.time_zone)  # the daily caps count the server's days
        return reply

    def policy_now(self) -> PolicyReply | None:
        """[W] The policy in force from the server (cached too); None when offline."""
        return self._refresh_policy(fallback=False)

    def start_review(self, queue: str, *, background_sync: bool = True) -> ReviewSession:
        """A ReviewSession on `queue` (network for the policy; cached when offline).
        Starts the background sync unless `background_sync` is False."""
        self._require_api()
        fresh = self._refresh_policy(fallback=False)
        policy = fresh or self.store.cached_policy()
        if fresh is not None:
            self._drop_expired_leases(queue)
        if policy is None:
            raise ServerUnavailable("The review server cannot be reached and no policy "
                                    "is cached yet; connect once to start reviewing.")
        count_days_in(policy.time_zone)
        engine = self.sync_engine()
        engine.watch_queue(queue)
        session = ReviewSession(
            queue=queue, username=self.username, store=self.store, vault=self.vault,
            api=self.api, taxonomy=self._taxonomy(queue, policy),
            policy=with_preferences(policy.wellness, load_preferences(self.store, self.username)),
            base_policy=policy.wellness,
            inflight=self.inflight, connectivity=self.connectivity,
            on_decided=self.poke_sync, on_lease=engine.note_lease)
        session.leases.media_cap_bytes = self.media_cap_bytes()
        if background_sync:
            self.start_sync()
        return session

    def start_quality(self, *, background_sync: bool = True) -> QAService:
        """[W] The QA lead's service (network for the policy; the cached one offline).
        The background sync carries the QA lead's exposure ledger and, after each round,
        their verdicts."""
        self._require_api()
        service = QAService(username=self.username, store=self.store, vault=self.vault,
                            api=self.api, policy=self._refresh_policy(),
                            connectivity=self.connectivity, on_judged=self.poke_sync)
        if background_sync:
            self.start_sync(on_report=service.after_sync_round)
        return service

    def _drop_expired_leases(self, queue: str) -> None:
        """Online, items of an expired lease are back in the server's queue (maybe with
        someone else): forget them. Offline they stay, and decisions on them come back
        `late`. The outbox keeps every decision either way."""
        now = utc_now()
        for lease in self.store.open_leases(queue, self.username):
            if as_utc(lease.expires_at) <= now:
                self.store.forget_lease(lease.lease_id)

    def _taxonomy(self, queue: str, policy: PolicyReply) -> Taxonomy:
        for lease in self.store.open_leases(queue, self.username):
            return lease.taxonomy
        if queue in policy.taxonomies:
            return policy.taxonomies[queue]
        return Taxonomy(actions=[TaxonomyEntry(id=ESCALATE, title="Escalate")])

    # --- sync ---------------------------------------------------------------------------

    def sync_engine(self) -> SyncEngine:
        api = self._require_api()
        if self._engine is None:
            self._engine = SyncEngine(self.store, api, self.username,
                                      inflight=self.inflight, connectivity=self.connectivity)
        return self._engine

    def start_sync(self, on_report: ReportListener | None = None,
                   interval: float = 5.0) -> SyncLoop:
        """The background sync loop (started once); `on_report` is called from its
        thread after every round."""
        if self._loop is None or not self._loop.is_alive():
            self._loop = SyncLoop(self.sync_engine(), interval=interval)
            self._loop.start()
        if on_report is not None:
            self._loop.add_listener(on_report)
        return self._loop

    @property
    def sync_loop(self) -> SyncLoop | None:
        return self._loop

    def poke_sync(self) -> None:
        if self._loop is not None:
            self._loop.poke()

    def stop_sync(self) -> None:
        if self._loop is not None:
            self._loop.stop()
            self._loop = None

    def close(self) -> None:
        self.stop_sync()
        if self.api is not None:
            self.api.close()
        self.store.close()


def _revoke_token(server_url: str, token: str) -> bool:
    """Ask the server to revoke `token`; True when it did (or it was already invalid)."""
    api = ApiClient(server_url, token, timeout=5)
    try:
        api.logout()
        return True
    except AuthExpired:
        return True  # already expired or revoked: nothing left to revoke
    except ReviewerError:
        return False
    finally:
        api.close()
