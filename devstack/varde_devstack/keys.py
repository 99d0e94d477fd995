"""Signing keys for a local stack, kept under var/ so a second ``make run`` keeps issued tokens valid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from varde_common.identity import generate_private_key_pem, public_key_pem


@dataclass(frozen=True)
class KeyFiles:
    internal_private: Path
    internal_public: Path
    dev_idp_private: Path


def ensure_keys(folder: Path) -> KeyFiles:
    folder.mkdir(parents=True, exist_ok=True)
    files = KeyFiles(
        internal_private=folder / "internal-token.key",
        internal_public=folder / "internal-token.pub",
        dev_idp_private=folder / "dev-idp.key",
    )
    for private in (files.internal_private, files.dev_idp_private):
        if not private.exists():
            private.write_text(generate_private_key_pem())
            private.chmod(0o600)
    files.internal_public.write_text(public_key_pem(files.internal_private.read_text()))
    return files
