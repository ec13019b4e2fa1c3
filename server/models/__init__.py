"""Database tables (SQLAlchemy 2.0 declarative, `Mapped[]`). Storage only: no rules here.

Timestamps are stored as naive UTC (SQLite has no time zone type) and handed back aware.

One module per concern; everything is re-exported here (`from server.models import X`),
so alembic sees the whole metadata through `Base`."""

from __future__ import annotations

from server.models.admin import (  # noqa: F401
    AuditEvent,
    IngestKey,
    QueueRoute,
    QueueTeam,
    QueueWebhook,
    WebhookDelivery,
)
from server.models.base import (  # noqa: F401
    Base,
    UTCDateTime,
    utcnow,
)
from server.models.qa import (  # noqa: F401
    GoldItem,
    VerdictRecord,
)
from server.models.review import (  # noqa: F401
    AccessToken,
    DecisionRecord,
    Item,
    Lease,
    LeaseItem,
    Queue,
    User,
)
from server.models.throttle import ThrottleWindow  # noqa: F401
from server.models.wellness import (  # noqa: F401
    ExposureRecord,
    PolicyRecord,
)
from server.models.wellness_report import (  # noqa: F401
    BreakRecord,
    PolicyChangeRecord,
    WellnessCategoryDayRecord,
    WellnessDayRecord,
    WellnessRollupRecord,
)
