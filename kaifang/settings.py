"""Settings: where kaifang keeps its data and how it is configured.

Order of precedence, lowest first: built-in defaults, the optional TOML config file
(``$KAIFANG_CONFIG`` or ``$KAIFANG_HOME/kaifang.toml``), then ``KAIFANG_*`` environment
variables. Every path lives under ``KAIFANG_HOME`` (default ``./var``) unless set on its own.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message says which and where."""


@dataclass(frozen=True)
class Settings:
    home: Path
    inbox: Path
    published: Path
    internal: Path
    models: Path
    secrets: Path
    attachments: Path
    datasets_dir: Path = REPO_ROOT / "datasets"
    metadata_file: Path = REPO_ROOT / "metadata.yml"
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = "http://127.0.0.1:8000"
    reply_days: int = 3
    # Years after a case is finished until its citizen's personal data is erased (the agency's
    # 檔案保存年限 for petitions; 0 keeps it for ever). See feedback_api.retention.
    retention_years: int = 5
    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "kaifang@localhost"
    feed_urls: tuple[str, ...] = field(default_factory=tuple)
    triage_threshold: float = 0.5
    # The largest share of a dataset's published rows one nightly run may remove; a larger drop
    # is refused as a truncated export until an operator accepts it (kaifang nightly
    # --accept-drop). 1 lets any drop through.
    max_row_drop: float = 0.1

    def ensure_dirs(self) -> Settings:
        """Create the folders; one that cannot be created is a SettingsError naming its setting.

        ``secrets`` and ``internal`` (quarantined rows, the feed store, the mail outbox with its
        citizens' addresses and case keys) are for the service's user only (0700)."""
        for name in ("home", "inbox", "published", "internal", "models", "attachments", "secrets"):
            path = getattr(self, name)
            try:
                path.mkdir(parents=True, exist_ok=True)
                if name in _PRIVATE_FOLDERS:
                    os.chmod(path, 0o700)
            except OSError as exc:
                raise SettingsError(
                    f"cannot create {path} (KAIFANG_{name.upper()}): {exc.strerror}; create it "
                    "or point the setting at a folder this user may write"
                ) from exc
        return self


_PRIVATE_FOLDERS = {"secrets", "internal"}
_PORT_FIELDS = {"port", "smtp_port"}
_INT_FIELDS = {"reply_days", "retention_years"}
_FRACTION_FIELDS = {"triage_threshold", "max_row_drop"}
_PATH_FIELDS = {
    "inbox",
    "published",
    "internal",
    "models",
    "secrets",
    "attachments",
    "datasets_dir",
    "metadata_file",
}


def _coerce(name: str, value, source: str):
    try:
        if name in _PORT_FIELDS:
            port = int(value)
            if not 1 <= port <= 65535:
                raise ValueError("a port is a number from 1 to 65535")
            return port
        if name in _INT_FIELDS:
            number = int(value)
            if number < 0:
                raise ValueError("must not be negative")
            return number
        if name in _FRACTION_FIELDS:
            fraction = float(value)
            if not 0 <= fraction <= 1:
                raise ValueError("must be between 0 and 1")
            return fraction
        if name in _PATH_FIELDS:
            return Path(value)
        if name == "feed_urls":
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{source}: {name} has an invalid value {value!r}: {exc}") from exc


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build the settings from defaults, the config file and the environment."""
    env = dict(os.environ if env is None else env)
    home = Path(env.get("KAIFANG_HOME", "var")).resolve()
    settings = Settings(
        home=home,
        inbox=home / "inbox",
        published=home / "published",
        internal=home / "internal",
        models=home / "models",
        secrets=home / "secrets",
        attachments=home / "attachments",
        database_url=f"sqlite:///{home / 'feedback.db'}",
    )
    known = {f.name for f in fields(Settings)} - {"home"}

    config_path = Path(env.get("KAIFANG_CONFIG", home / "kaifang.toml"))
    if config_path.exists():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{config_path}: not valid TOML: {exc}") from exc
        unknown = set(data) - known
        if unknown:
            raise SettingsError(f"{config_path}: unknown setting(s) {', '.join(sorted(unknown))}")
        settings = replace(
            settings, **{k: _coerce(k, v, str(config_path)) for k, v in data.items()}
        )

    overrides = {}
    for name in known:
        key = f"KAIFANG_{name.upper()}"
        if key in env:
            overrides[name] = _coerce(name, env[key], f"environment variable {key}")
    return replace(settings, **overrides)
