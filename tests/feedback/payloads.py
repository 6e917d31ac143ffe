"""Request bodies the feedback tests send."""

from __future__ import annotations


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
