"""The wire protocol: every request and reply body of `/api/v1`, defined once.

The server (FastAPI) declares its routes with these models and the client validates
every reply against them. Each model refuses unknown fields and carries limits on
lengths, counts and ranges, so an oversized or malformed body fails validation
(a 4xx JSON error on the server, a `ProtocolError` on the client) instead of
reaching storage. Never import Qt or the server from here.

One module per resource (`base` holds the shared types and limits); everything is
re-exported here, so callers import from `reviewer.protocol`.
"""

from __future__ import annotations

from reviewer.protocol.auth import (  # noqa: F401
    LogoutReply,
    MeReply,
    TokenReply,
    TokenRequest,
    UserPublic,
)
from reviewer.protocol.base import (  # noqa: F401
    API_PREFIX,
    MAX_DECISIONS_PER_BATCH,
    MAX_EVENTS_PER_DECISION,
    MAX_LEASE_ITEMS,
    MAX_MEDIA_BYTES,
    MAX_TEXT_CHARS,
    PREVIEW_EDGE,
    ROLES,
    DecisionStatus,
    ErrorReply,
    EventType,
    ItemKind,
    Name,
    RevealMode,
    Role,
    Severity,
    Sha256,
    ShortcutKey,
    ShortText,
    Title,
    WireModel,
)
from reviewer.protocol.decisions import (  # noqa: F401
    BUILTIN_ACTIONS,
    ESCALATE,
    SKIP,
    Decision,
    DecisionBatch,
    DecisionEvent,
    DecisionResult,
    DecisionResults,
)
from reviewer.protocol.items import (  # noqa: F401
    Item,
    ItemCreate,
    ItemCreated,
    MediaRef,
    QueuePublic,
    QueuesReply,
    Taxonomy,
    TaxonomyEntry,
    display_media,
)
from reviewer.protocol.leases import (  # noqa: F401
    LeaseReleased,
    LeaseRenewed,
    LeaseReply,
    LeaseRequest,
)
from reviewer.protocol.policy import (  # noqa: F401
    BLUR_LEVELS,
    DEFAULT_BLUR_BY_SEVERITY,
    BlurLevel,
    CategoryProtection,
    PolicyReply,
    PolicySource,
    TimeZoneName,
    WellnessPolicy,
    WellnessPolicyPut,
    WellnessPolicyStored,
)
from reviewer.protocol.policy_layers import (  # noqa: F401
    BUILT_IN,
    COMPOUND,
    DEFAULT_SCOPE,
    PREFERENCES,
    STRICTER,
    EffectivePolicyLayers,
    PolicyLayer,
    Stricter,
    merge_policy_layers,
    stricter_level,
    tighten_policy,
)
from reviewer.protocol.qa import (  # noqa: F401
    GoldItemPublic,
    GoldItems,
    GoldMark,
    Kappa,
    QADecision,
    QADecisions,
    QAReport,
    QAReportRow,
    QAVerdict,
    QAVerdictBatch,
    QAVerdictResults,
    Rate,
    Reason,
)
from reviewer.protocol.wellness import (  # noqa: F401
    BreakBatch,
    BreakEntry,
    BreakResults,
    CapStatus,
    CategoryRevealRate,
    DayExposure,
    EffectivePolicy,
    ExposureBatch,
    ExposureEntry,
    ExposureResults,
    PolicyChange,
    PolicyChanges,
    ReviewerExposure,
    TeamExposure,
    WellnessPolicies,
    WellnessReport,
    WellnessReportRow,
    WellnessSummary,
)
