"""Attachments: the type comes from the content, photos lose EXIF and GPS, HEIC photos become
JPEG, limits hold."""

from __future__ import annotations

import io
import struct

import pytest
from pi_heif.as_plugin import HeifImageFile
from PIL import Image

from feedback_api import attachments, cases
from feedback_api.attachments import AttachmentError, prepare
from feedback_api.validation import parse_submission
from tests.feedback.payloads import GPS_IFD, heic, iphone_photo, valid_case


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (120, 200, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (25.0, 7.0, 42.0), 3: "E", 4: (121.0, 44.0, 30.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "王小明")
    info.add_text("Location", "25.128,121.742")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_the_raw_photo_really_carries_gps():
    with Image.open(io.BytesIO(_jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_exif_and_gps_are_removed_and_the_photo_keeps_its_orientation():
    [cleaned] = prepare([("IMG_0001.JPG", _jpeg_with_gps())])
    assert cleaned.content_type == "image/jpeg"
    assert b"Exif" not in cleaned.data and b"PhoneMaker" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert image.size == (48, 64)  # the rotation was applied before the tag was dropped


def test_png_text_chunks_are_removed():
    [cleaned] = prepare([("shot.png", _png_with_text())])
    assert cleaned.content_type == "image/png"
    assert "王小明".encode() not in cleaned.data and b"Location" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert image.mode == "RGBA" and not image.text


def test_the_type_comes_from_the_content_not_the_name():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    [document] = prepare([("receipt.jpg", pdf)])
    assert document.content_type == "application/pdf" and document.data == pdf
    with pytest.raises(AttachmentError) as refused:
        prepare([("photo.png", b"<html><script>alert(1)</script>"), ("ok.pdf", pdf)])
    assert [e.field for e in refused.value.errors] == ["attachments[0]"]
    assert refused.value.errors[0].message == (
        "「photo.png」不是 JPEG、PNG、HEIC 或 PDF 檔 (only JPEG, PNG, HEIC and PDF files are accepted)"
    )


def test_a_truncated_image_is_refused_not_crashed_on():
    broken = _jpeg_with_gps()[:200]
    with pytest.raises(AttachmentError) as refused:
        prepare([("broken.jpg", broken)])
    assert "無法讀取" in refused.value.errors[0].message
    with pytest.raises(AttachmentError) as refused:
        prepare([("IMG_0009.HEIC", iphone_photo()[:300])])
    assert refused.value.errors[0].message.startswith("「IMG_0009.HEIC」無法讀取")  # as sent


def test_an_image_of_more_pixels_than_the_limit_is_refused_before_decoding():
    # A few kilobytes of PNG that decode to just over MAX_PIXELS: Pillow only refuses images
    # over twice its own limit and merely warns below that, so without our check a file this
    # small would be decoded and copied several times (gigabytes for a colour image).
    width = 8000
    height = attachments.MAX_PIXELS // width + 1
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    bomb = out.getvalue()
    assert len(bomb) < 100_000 and width * height > attachments.MAX_PIXELS
    with pytest.raises(AttachmentError) as refused:
        prepare([("bomb.png", bomb)])
    assert "無法讀取" in refused.value.errors[0].message


def test_the_raw_iphone_photo_really_is_heic_with_gps():
    heic = iphone_photo()
    assert heic[4:12] == b"ftypheic"
    with Image.open(io.BytesIO(heic)) as image:
        assert image.format == "HEIF" and image.getexif().get_ifd(GPS_IFD)


def test_a_heic_photo_becomes_an_upright_jpeg_without_exif_or_gps():
    [converted] = prepare([("IMG_0001.HEIC", iphone_photo())])
    assert converted.content_type == "image/jpeg" and converted.data.startswith(b"\xff\xd8\xff")
    assert converted.original_name == "IMG_0001.jpg"  # what staff and the submitter download
    assert b"Exif" not in converted.data and b"PhoneMaker" not in converted.data
    with Image.open(io.BytesIO(converted.data)) as image:
        assert image.format == "JPEG" and not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert image.size == (48, 64)  # turned once, as the orientation says
        red, green = image.getpixel((44, 3)), image.getpixel((3, 3))
    assert red[0] > 200 and red[1] < 60  # the stored top-left corner is now top-right
    assert green[1] > 150 and green[0] < 160


def _heic_declaring(width: int, height: int) -> bytes:
    """A small real HEIC whose header claims ``width`` × ``height`` pixels (its ``ispe`` box)."""
    small = heic(Image.new("RGB", (64, 64)))  # 64×64: no cropping box, ispe is the size
    at = small.index(b"ispe") + 8  # after the box type and its version and flags
    return small[:at] + struct.pack(">II", width, height) + small[at + 8 :]


def test_a_heic_photo_of_more_pixels_than_the_limit_is_refused_before_decoding(monkeypatch):
    width = 8000
    height = attachments.MAX_PIXELS // width + 1
    bomb = _heic_declaring(width, height)
    with Image.open(io.BytesIO(bomb)) as image:
        assert image.size == (width, height) and width * height > attachments.MAX_PIXELS
    decoded = []
    original_load = HeifImageFile.load

    def load(image):
        decoded.append(image.size)
        return original_load(image)

    monkeypatch.setattr(HeifImageFile, "load", load)
    with pytest.raises(AttachmentError) as refused:
        prepare([("IMG_0002.HEIC", bomb)])
    assert "無法讀取" in refused.value.errors[0].message
    assert decoded == []
    prepare([("IMG_0003.HEIC", iphone_photo())])
    assert decoded  # the same path decodes a photo within the limit


def test_size_and_count_limits():
    too_big = b"%PDF-" + b"0" * attachments.MAX_FILE_BYTES
    with pytest.raises(AttachmentError) as refused:
        prepare([("big.pdf", too_big)])
    assert "10 MB" in refused.value.errors[0].message
    with pytest.raises(AttachmentError):
        prepare([(f"{i}.pdf", b"%PDF-1.4") for i in range(attachments.MAX_FILES + 1)])


def test_files_are_stored_under_random_names_with_the_case(sqlite_store):
    prepared = prepare([("my-home-address.jpg", _jpeg_with_gps())])
    submitted = cases.submit(
        sqlite_store, parse_submission(valid_case()), channel="web", attachments=prepared
    )
    [info] = cases.list_attachments(sqlite_store, submitted.case_id)
    assert info.original_name == "my-home-address.jpg"
    assert "home" not in info.stored_name and len(info.stored_name) >= 32
    stored = sqlite_store.settings.attachments / info.stored_name
    assert stored.read_bytes() == prepared[0].data
    assert stored.stat().st_mode & 0o077 == 0
