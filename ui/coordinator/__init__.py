"""The wellness coordinator's console: policies, effective policies, the exposure report.

Built from a `reviewer.coordinator.CoordinatorService` (API only) and the app's workers:
no vault, no media client, so no content can reach it.
"""
