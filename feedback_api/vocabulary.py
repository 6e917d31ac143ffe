"""The fixed vocabularies of a case: its types, channels, product areas and safety-mark
answers, each code with its zh-TW and English label (the labels users see)."""

from __future__ import annotations

CASE_TYPES: dict[str, tuple[str, str]] = {
    "petition": ("陳情/意見", "Petition or opinion"),
    "report": ("檢舉", "Report of a violation"),
    "inquiry": ("諮詢", "Question"),
    "suggestion": ("建議", "Suggestion"),
    "thanks": ("感謝", "Thanks"),
}

CHANNELS: dict[str, tuple[str, str]] = {
    "web": ("網站表單", "Web form"),
    "api": ("API", "JSON API"),
    "open311": ("Open311", "Open311 GeoReport v2"),
    "volunteer": ("義務監視員", "Volunteer monitor"),
    "phone": ("電話", "Phone (entered by staff)"),
    "letter": ("書信", "Letter (entered by staff)"),
    "email": ("電子郵件", "E-mail (entered by staff)"),
}
STAFF_CHANNELS = ("phone", "letter", "email")

PRODUCT_AREAS: dict[str, tuple[str, str]] = {
    "electrical": ("電器及資訊產品", "Electrical and IT products"),
    "mechanical": ("機械產品", "Mechanical products"),
    "chemical": ("化工產品及玩具", "Chemical products and toys"),
    "metrology": ("度量衡器", "Weights and measures"),
    "application": ("報驗及發證", "Inspection applications and certificates"),
    "general": ("其他", "Anything else"),
}

SAFETY_MARK: dict[str, tuple[str, str]] = {
    "yes": ("有商品安全標章", "Safety mark present"),
    "no": ("沒有商品安全標章", "No safety mark"),
    "unknown": ("不確定", "Not sure"),
}


def label(vocabulary: dict[str, tuple[str, str]], code: str | None) -> str | None:
    """The zh-TW label of ``code`` (the code itself when the vocabulary does not know it)."""
    if code is None:
        return None
    return vocabulary.get(code, (code,))[0]
