"""Backup and restore of the feedback store: what an operator gets back after losing a disk."""

from __future__ import annotations

import io
import json
import stat

import pytest
from click.testing import CliRunner
from PIL import Image

from feedback_api import accounts, attachments, cases
from feedback_api.store import open_store
from feedback_api.validation import parse_submission
from kaifang.cli import main
from kaifang.settings import load_settings
from tests.feedback.payloads import valid_case


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def running_store(settings):
    """A store the service still holds open, with a staff account and a case with a photo
    whose commit may still be in the write-ahead log."""
    store = open_store(settings)
    accounts.add_staff(
        store, "lin", "a long enough password", display_name="林技士",
        role="section_staff", unit="計量課",
    )  # fmt: skip
    photo = attachments.prepare([("scale.jpg", _photo())])
    submitted = cases.submit(
        store, parse_submission(valid_case()), channel="web", attachments=photo
    )
    yield store, submitted
    store.close()


def _move_home(tmp_path, monkeypatch, name: str):
    monkeypatch.setenv("KAIFANG_HOME", str(tmp_path / name))
    return load_settings().ensure_dirs()


def test_a_restored_home_opens_the_citizens_case_with_its_photo_and_lets_staff_in(
    running_store, tmp_path, monkeypatch
):
    store, submitted = running_store
    [photo] = cases.list_attachments(store, submitted.case_id)
    photo_bytes = (store.settings.attachments / photo.stored_name).read_bytes()

    made = _invoke("db", "backup", str(tmp_path / "backup"))
    assert made.exit_code == 0, made.output
    assert "1 cases" in made.output and "1 attachments" in made.output

    _move_home(tmp_path, monkeypatch, "new-machine")
    restored = _invoke("db", "restore", str(tmp_path / "backup"))
    assert restored.exit_code == 0, restored.output
    new_store = open_store(load_settings())
    try:
        case = cases.read_case(new_store, submitted.tracking, submitted.secret)
        assert case.text == valid_case()["text"]
        [copy] = cases.list_attachments(new_store, case.id)
        stored = new_store.settings.attachments / copy.stored_name
        assert stored.read_bytes() == photo_bytes
        assert accounts.authenticate_staff(new_store, "lin", "a long enough password")
    finally:
        new_store.close()


def test_the_backup_is_private_and_lists_what_it_holds(running_store, tmp_path):
    folder = tmp_path / "backup"
    assert _invoke("db", "backup", str(folder)).exit_code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    manifest = json.loads((folder / "MANIFEST.json").read_text())
    assert manifest["cases"] == 1
    assert "secrets/api_key_pepper" in manifest["files"]
    for name in [*manifest["files"], "MANIFEST.json"]:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


def test_a_backup_never_writes_into_a_folder_that_holds_files(running_store, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    refused = _invoke("db", "backup", str(folder))
    assert refused.exit_code != 0 and "not an empty folder" in refused.output
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_restore_refuses_a_home_that_already_has_a_store(running_store, tmp_path):
    assert _invoke("db", "backup", str(tmp_path / "backup")).exit_code == 0
    refused = _invoke("db", "restore", str(tmp_path / "backup"))
    assert refused.exit_code != 0 and "already exists" in refused.output
    assert "move them aside" in refused.output


def test_restore_refuses_a_damaged_backup_and_writes_nothing(running_store, tmp_path, monkeypatch):
    folder = tmp_path / "backup"
    assert _invoke("db", "backup", str(folder)).exit_code == 0
    [photo] = (folder / "attachments").iterdir()
    photo.write_bytes(photo.read_bytes()[:-10])
    settings = _move_home(tmp_path, monkeypatch, "new-machine")
    refused = _invoke("db", "restore", str(folder))
    assert refused.exit_code != 0 and f"attachments/{photo.name}" in refused.output
    assert not (settings.home / "feedback.db").exists()
    assert not any(settings.attachments.iterdir())


def test_a_postgresql_store_is_pointed_to_pg_dump(kaifang_home, tmp_path, monkeypatch):
    monkeypatch.setenv("KAIFANG_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/x")
    refused = _invoke("db", "backup", str(tmp_path / "backup"))
    assert refused.exit_code != 0 and "pg_dump" in refused.output
