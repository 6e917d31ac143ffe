"""The free-text scrubber: ``scrub(text)`` replaces every personal value with a typed placeholder.

Placeholders are 〔姓名〕〔身分證號〕〔電話〕〔地址〕〔車牌〕〔帳號〕〔電子郵件〕〔生日〕〔LINE〕.
Addresses keep their county and district (基隆市仁愛區〔地址〕) because the detector reports
only the street part. Entities carry offsets into the input text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.deid.detectors import Entity, detect

PLACEHOLDERS = {
    "name": "〔姓名〕",
    "national_id": "〔身分證號〕",
    "resident_id": "〔身分證號〕",
    "phone": "〔電話〕",
    "email": "〔電子郵件〕",
    "line_id": "〔LINE〕",
    "bank_account": "〔帳號〕",
    "plate": "〔車牌〕",
    "address": "〔地址〕",
    "birthdate": "〔生日〕",
}


@dataclass(frozen=True)
class Scrubbed:
    """The scrubbed text and the entities found, with offsets into the original text."""

    text: str
    entities: list[Entity]


def scrub(text: str) -> Scrubbed:
    """Replace every detected personal value in ``text`` with its placeholder."""
    entities = detect(text)
    if not entities:
        return Scrubbed(text, [])
    pieces: list[str] = []
    position = 0
    for entity in entities:
        pieces.append(text[position : entity.start])
        pieces.append(PLACEHOLDERS[entity.type])
        position = entity.end
    pieces.append(text[position:])
    return Scrubbed("".join(pieces), entities)
