"""Secrets: the pseudonym key, session key and API-key pepper.

A secret comes from the environment (``KAIFANG_SECRET_<NAME>``, hex or text) or from
``$KAIFANG_HOME/secrets/<name>``, which is generated on first use with mode 0600.
Secrets are never written into the repository or into logs.
"""

from __future__ import annotations

import os
import secrets as _random
from pathlib import Path

from kaifang.settings import Settings

KNOWN_SECRETS = ("pseudonym_key", "session_key", "api_key_pepper")


def get_secret(settings: Settings, name: str) -> bytes:
    """Return the secret called ``name``, creating it on first use."""
    if name not in KNOWN_SECRETS:
        raise KeyError(f"unknown secret {name!r}; known: {', '.join(KNOWN_SECRETS)}")
    from_env = os.environ.get(f"KAIFANG_SECRET_{name.upper()}")
    if from_env:
        return from_env.encode("utf-8")
    path = Path(settings.secrets) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(_random.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def init_secrets(settings: Settings) -> list[str]:
    """Create every missing secret; return the names that were created."""
    created = []
    for name in KNOWN_SECRETS:
        from_env = os.environ.get(f"KAIFANG_SECRET_{name.upper()}")
        if not from_env and not (Path(settings.secrets) / name).exists():
            created.append(name)
        get_secret(settings, name)
    return created
