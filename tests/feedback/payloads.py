"""Request bodies the feedback tests send, and the photos they attach."""

from __future__ import annotations

import io

import pillow_heif
from PIL import Image


def valid_case(**overrides) -> dict:
    """A valid JSON API submission."""
    body = {
        "type": "report",
        "text": "夜市攤販賣的玩具沒有中文標示，也沒有商品安全標章。",
        "product_area": "chemical",
        "product": {"name": "塑膠玩具車", "shop": "基隆廟口夜市", "safety_mark": "no"},
        "place": {"district": "基隆市仁愛區", "lat": 25.128, "long": 121.743},
        "contact": {"name": "王小明", "email": "ming@example.com", "phone": "0912-345-678"},
        "consents": {"reply_by_email": True, "publish_narrative": False},
    }
    body.update(overrides)
    return body


GPS_IFD = 0x8825  # the EXIF block holding the GPS position


def heic(image: Image.Image, **options) -> bytes:
    """``image`` encoded as HEIC by pillow-heif (a test-only dependency: the service reads HEIC
    with the decoder-only pi-heif, and pillow-heif's opener is not registered here, so the
    service's decoder is the one under test)."""
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, **options)
    return out.getvalue()


def iphone_photo() -> bytes:
    """A small HEIC photo as an iPhone saves one: EXIF with the camera's make and a GPS position
    in Keelung, and an orientation of 6 (turn 90° clockwise to view), so the stored 64×48
    pixels are seen as 48×64. The stored top-left 8×8 corner is red."""
    image = Image.new("RGB", (64, 48), (120, 200, 40))
    image.paste((255, 0, 0), (0, 0, 8, 8))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (25.0, 7.0, 42.0), 3: "E", 4: (121.0, 44.0, 30.0)})
    return heic(image, exif=exif.tobytes(), quality=60)
