"""Rules and queries behind the routes: leasing, decisions, ingest, policy, QA."""
