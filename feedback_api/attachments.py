"""Files attached to cases: checking, cleaning, storing and reading them back.

At most :data:`MAX_FILES` files of :data:`MAX_FILE_BYTES` each. The type is sniffed from the
content (JPEG, PNG, HEIC/HEIF or PDF; the file name and the client's content type are ignored).
Photos are decoded and re-encoded with Pillow, which drops EXIF (camera, GPS position) and every
other metadata block; their orientation is applied first, so they still look right. HEIC photos
(what iPhones take) are decoded by the ``pi-heif`` plugin and kept as JPEG, which every
browser and staff PC can show. An image's size is checked against :data:`MAX_PIXELS` before any
pixel is decoded. Files are stored under random names in ``settings.attachments`` and fsynced
before the case that lists them is committed. Only staff and the submitter may read them: the
routes check that.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pi_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from feedback_api.validation import FieldError

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
# File parts an upload form is parsed with: a phone's whole album still reaches prepare(), which
# refuses more than MAX_FILES with its own message; the body size limit bounds the bytes.
MAX_FILE_PARTS = 100
MAX_PIXELS = 50_000_000  # larger images are refused unread (a decompression bomb)
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
# Photo types that are kept in another type (the stored types are those of EXTENSIONS).
CONVERTED = {"image/heic": "image/jpeg"}
# ISO base media file brands of HEIF images (HEVC-coded: heic, heix, …; generic: mif1, msf1).
HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)

pi_heif.register_heif_opener()  # Image.open reads HEIF; it decodes only on load()


@dataclass(frozen=True)
class PreparedAttachment:
    """A checked and cleaned file, not yet stored."""

    original_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class StoredAttachment:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


class AttachmentError(ValueError):
    """One or more files were refused; ``errors`` says which and why."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def sniff_type(data: bytes) -> str | None:
    """The content type from the first bytes: image/jpeg, image/png, image/heic (any HEIF
    image), application/pdf or None."""
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "image/heic"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """Re-encode a photo as ``content_type`` (JPEG or PNG; any photo type Pillow reads comes
    in) without EXIF, GPS, XMP or text chunks; raise ValueError if unreadable."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow itself refuses only twice this, and warns
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:  # a small file may declare a huge image: not decoded
                raise ValueError(f"{width}x{height} pixels, more than {MAX_PIXELS}")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc)) from exc
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if "icc_profile" in upright.info:  # colours, not metadata about the person
        clean.info["icc_profile"] = upright.info["icc_profile"]
    out = io.BytesIO()
    if content_type == "image/jpeg":
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=90, icc_profile=clean.info.get("icc_profile"))
    else:
        if clean.mode == "P" and "transparency" in upright.info:
            clean = upright.convert("RGBA")
            clean = Image.frombytes(clean.mode, clean.size, clean.tobytes())
        clean.save(out, "PNG", optimize=False)
    return out.getvalue()


def too_many_files(field: str) -> AttachmentError:
    """The refusal of more than :data:`MAX_FILES` files in ``field``."""
    return AttachmentError(
        [FieldError(field, f"最多只能附加 {MAX_FILES} 個檔案 (at most {MAX_FILES} files)")]
    )


def prepare(
    files: list[tuple[str, bytes]], *, field: str = "attachments"
) -> list[PreparedAttachment]:
    """Check and clean ``(file name, content)`` pairs; raise AttachmentError listing problems."""
    errors: list[FieldError] = []
    if len(files) > MAX_FILES:
        raise too_many_files(field)
    prepared = []
    for position, (name, data) in enumerate(files):
        where = f"{field}[{position}]"
        display = Path(name or "file").name[:255] or "file"
        if len(data) > MAX_FILE_BYTES:
            errors.append(FieldError(where, f"「{display}」超過 10 MB (larger than 10 MB)"))
            continue
        sniffed = sniff_type(data)
        if sniffed is None:
            errors.append(
                FieldError(
                    where,
                    f"「{display}」不是 JPEG、PNG、HEIC 或 PDF 檔"
                    " (only JPEG, PNG, HEIC and PDF files are accepted)",
                )
            )
            continue
        content_type = CONVERTED.get(sniffed, sniffed)
        if content_type != "application/pdf":
            try:
                data = strip_metadata(data, content_type)
            except ValueError:
                errors.append(
                    FieldError(
                        where, f"「{display}」無法讀取，檔案可能已損壞 (the image cannot be read)"
                    )
                )
                continue
        if content_type != sniffed:
            display = _renamed(display, EXTENSIONS[content_type])
        prepared.append(PreparedAttachment(display, content_type, data))
    if errors:
        raise AttachmentError(errors)
    return prepared


def _renamed(name: str, extension: str) -> str:
    """``name`` with ``extension`` for its own (``IMG_0001.HEIC`` → ``IMG_0001.jpg``), within the
    255 characters a name is kept to."""
    return name.rsplit(".", 1)[0][: 255 - len(extension)] + extension


def write_files(directory: Path, prepared: list[PreparedAttachment]) -> list[StoredAttachment]:
    """Write each file under a random name and fsync it (and the folder) before returning."""
    if not prepared:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    stored = []
    try:
        for item in prepared:
            name = secrets.token_hex(16) + EXTENSIONS[item.content_type]
            path = directory / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(item.data)
                handle.flush()
                os.fsync(handle.fileno())
            stored.append(
                StoredAttachment(
                    stored_name=name,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    size=len(item.data),
                    sha256=hashlib.sha256(item.data).hexdigest(),
                )
            )
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        remove_files(directory, stored)
        raise
    return stored


def remove_files(directory: Path, stored: list[StoredAttachment]) -> None:
    """Delete stored files (when the case that would have listed them was not committed)."""
    for item in stored:
        with contextlib.suppress(FileNotFoundError):
            (directory / item.stored_name).unlink()


def read_file(directory: Path, stored_name: str) -> bytes:
    """The content of a stored attachment."""
    if Path(stored_name).name != stored_name:
        raise ValueError("not a stored attachment name")
    return (directory / stored_name).read_bytes()
