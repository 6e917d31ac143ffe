"""The failed-batch export (`failed_batches_YYY.xlsx`, sheet 不合格批): one row per failed batch.

Written with openpyxl in write-only mode, then made byte-reproducible: openpyxl stamps the
current time into the document properties and the zip entries, which the sample replaces
with a fixed time derived from the year.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from kaifang.sample.calendar import roc_date
from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.imports import FailedBatch, failed_remark

SHEET = "不合格批"
HEADER = (
    "申請書案號", "報驗日期", "報驗義務人", "統一編號", "負責人", "貨品名稱", "貨品類別", "CCC碼",
    "不合格數量", "單位", "不合格原因", "處置方式", "處置日期", "備註",
)  # fmt: skip


def write_failed_batches(ctx: SampleContext, failed: list[FailedBatch]) -> WrittenFile:
    rng = ctx.rng("failed-batches")
    path = ctx.path("failed_batches", "xlsx")
    exported_at = dt.datetime(ctx.calendar.year + 1, 1, 2, 8, 0, 0)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "報驗發證系統"
    workbook.properties.created = exported_at
    sheet = workbook.create_sheet(SHEET)
    sheet.append(HEADER)
    for batch in failed:
        sheet.append(
            [
                batch.application_no,
                roc_date(batch.applied_on),
                batch.firm.name,
                batch.firm.ubn,
                batch.firm.owner,
                batch.product,
                batch.category,
                batch.ccc,
                batch.units,
                batch.unit,
                batch.reason,
                batch.disposition,
                roc_date(batch.disposed_on) if batch.disposed_on else "",
                failed_remark(rng, batch),
            ]
        )
    workbook.save(path)
    _make_reproducible(path, exported_at)
    return WrittenFile(path, len(failed), 0)


def _make_reproducible(path: Path, stamp: dt.datetime) -> None:
    """Rewrite the zip with fixed entry times and a fixed 'modified' document property."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), data)
            target.writestr(zipfile.ZipInfo(name, date_time), data, zipfile.ZIP_DEFLATED)
