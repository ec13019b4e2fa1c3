"""Run by test_decision_survives_sigkill: log in, decide one item, wait to be killed.

Usage: python sigkill_decider.py DATA_DIR SERVER_URL USERNAME QUEUE (password on stdin).
Prints the decision id once `decide` has returned (the outbox commit is done).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from reviewer.workstation import Workstation


def main() -> None:
    data_dir, server_url, username, queue = sys.argv[1:5]
    password = sys.stdin.readline().strip()
    workstation = Workstation.open(Path(data_dir))
    workstation.login(server_url, username, password)
    session = workstation.start_review(queue, background_sync=False)
    session.fill(min_ready=2)
    session.mark_shown()
    decision = session.decide("approve")
    print(decision.decision_id, flush=True)
    time.sleep(120)  # killed long before this


if __name__ == "__main__":
    main()
