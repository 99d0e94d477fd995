"""Deviation (avvik) rules without I/O."""

from __future__ import annotations

from enum import StrEnum


class DeviationStatus(StrEnum):
    REGISTERED = "registered"  # registrert
    UNDER_TREATMENT = "under_treatment"  # under behandling
    CLOSED = "closed"  # lukket
    REJECTED = "rejected"  # avvist
