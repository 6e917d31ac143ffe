"""The Open311 services this branch offers: one per case type and product area (e.g.
``report-electrical``, 檢舉 about an electrical product), each with the same service definition
of product attributes, and the mapping between a case and its service code."""

from __future__ import annotations

from dataclasses import dataclass

from feedback_api.vocabulary import CASE_TYPES, PRODUCT_AREAS, SAFETY_MARK

JURISDICTION_ID = "keelung.bsmi.gov.tw"
PRODUCT_AREAS_WITH_PRODUCTS = ("electrical", "mechanical", "chemical", "metrology")


@dataclass(frozen=True)
class Service:
    code: str
    case_type: str
    product_area: str

    @property
    def name(self) -> str:
        return f"{CASE_TYPES[self.case_type][0]}：{PRODUCT_AREAS[self.product_area][0]}"

    @property
    def product_required(self) -> bool:
        """A report about a product must name it."""
        return self.case_type == "report" and self.product_area in PRODUCT_AREAS_WITH_PRODUCTS


SERVICES: dict[str, Service] = {
    f"{case_type}-{area}": Service(f"{case_type}-{area}", case_type, area)
    for case_type in CASE_TYPES
    for area in PRODUCT_AREAS
}


def service_code_of(case_type: str, product_area: str | None) -> str:
    return f"{case_type}-{product_area or 'general'}"


def service_entry(service: Service) -> dict:
    """The ``services`` list item of a service."""
    zh_type, en_type = CASE_TYPES[service.case_type]
    zh_area, en_area = PRODUCT_AREAS[service.product_area]
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": f"{zh_type}（{zh_area}） {en_type}: {en_area}",
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join((zh_type, zh_area, service.case_type, service.product_area)),
        "group": zh_area,
    }


def _choices(options: dict[str, tuple[str, str]]) -> list[dict]:
    return [{"key": key, "name": f"{zh} ({en})"} for key, (zh, en) in options.items()]


# (code, datatype, description, values)
_ATTRIBUTES = (
    ("product_name", "string", "商品名稱 (product name)", None),
    ("product_brand", "string", "廠牌 (brand)", None),
    ("product_model", "string", "型號 (model)", None),
    ("shop", "string", "販售的商店名稱與地點 (shop where it is sold)", None),
    ("online_url", "string", "網路賣場網址 (online listing URL)", None),
    ("purchase_date", "datetime", "購買日期 (purchase date)", None),
    ("safety_mark", "singlevaluelist", "是否有商品安全標章 (safety mark present?)", SAFETY_MARK),
    (
        "publish_description",
        "singlevaluelist",
        "是否同意公開去識別化的內容 (publish the de-identified description?)",
        {"yes": ("同意", "Yes"), "no": ("不同意", "No")},
    ),
)
ATTRIBUTE_CODES = tuple(code for code, *_ in _ATTRIBUTES)


def service_definition(service: Service) -> dict:
    """The ``service_definition`` of a service."""
    attributes = []
    for order, (code, datatype, description, values) in enumerate(_ATTRIBUTES, start=1):
        attribute = {
            "variable": True,
            "code": code,
            "datatype": datatype,
            "required": code == "product_name" and service.product_required,
            "datatype_description": "YYYY-MM-DD" if datatype == "datetime" else None,
            "order": order,
            "description": description,
        }
        if values:
            attribute["values"] = _choices(values)
        attributes.append(attribute)
    return {"service_code": service.code, "attributes": attributes}
