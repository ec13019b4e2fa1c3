"""`reviewer-server ingest QUEUE PATH...`: files, directories and JSONL manifests, with a
summary of what was added, what was already present and what was refused (and why)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from server.cli_common import audit_cli, locations
from server.db import Database
from server.ingest import IngestSummary, Refused, ingest_source, sources
from server.media_store import open_media_store
from server.services.items import ensure_queue


def run_ingest(args: argparse.Namespace) -> int:
    """Each source: media and its preview written (content-addressed) first, then one short
    write transaction, so a running server keeps answering while files are ingested."""
    db_url, data_dir = locations(args)
    db = Database(db_url, strict=True)
    store = open_media_store(args.media_url, data_dir, endpoint_url=args.s3_endpoint_url)
    summary = IngestSummary()
    try:
        db.create_schema()
        with db.writer() as session:
            ensure_queue(session, args.queue)
        for source in sources([Path(p) for p in args.paths], args.category, args.severity):
            if isinstance(source, Refused):
                summary.refused.append((source.label, str(source)))
                continue
            ingest_source(db, store, args.queue, source, summary)
    finally:
        db.dispose()
    for label, item_id in summary.added:
        print(f"added\t{item_id}\t{label}")
    for label, item_id in summary.present:
        print(f"present\t{item_id}\t{label}")
    for label, reason in summary.refused:
        print(f"refused\t{label}\t{reason}", file=sys.stderr)
    print(f"{len(summary.added)} added, {len(summary.present)} already present, "
          f"{len(summary.refused)} refused")
    audit_cli(db_url, "ingest", args.queue, f"{len(summary.added)}+{len(summary.present)}"
              f"-{len(summary.refused)}")
    return 0 if not summary.refused else 1
