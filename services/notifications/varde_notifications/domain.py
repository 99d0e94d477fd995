"""What a notification says, per event type, in Norwegian. No I/O."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    DEVIATION_TO_HANDLE = "deviation.to_handle"  # et avvik å behandle


def deviation_reported_text(unit_name: str) -> tuple[str, str]:
    return (
        "Nytt avvik å behandle",
        f"Et nytt avvik er meldt i {unit_name}. Du er leder for enheten og skal behandle det.",
    )
