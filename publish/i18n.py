"""Interface language: Traditional Chinese by default, English on request.

Templates write their text in English as the message key, ``{{ _("Download") }}``; the
catalogue below gives the zh-TW text. The reader picks English with ``?_lang=en`` (kept in
the ``kaifang_lang`` cookie by the middleware) and back with ``?_lang=zh-TW``. The
underscore keeps Datasette from reading the parameter as a column filter.

Texts that exist in both languages (titles, descriptions, labels, names) are chosen with
``pick``; a zh-TW text shown on an English page because its English is missing comes back as
a ``Fallback``, which templates mark with ``lang_attr`` so that it is read as Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from markupsafe import Markup

ZH = "zh-TW"
EN = "en"
LANGUAGES = (ZH, EN)
HTML_LANG = {ZH: "zh-Hant-TW", EN: "en"}
COOKIE = "kaifang_lang"
PARAM = "_lang"

MESSAGES: dict[str, str] = {
    # chrome
    "Skip to main content": "跳到主要內容",
    "Home": "首頁",
    "Categories": "分類瀏覽",
    "Language": "語言",
    "Menu": "選單",
    "Log out": "登出",
    "Main navigation": "主要導覽",
    "Breadcrumb": "導覽路徑",
    "Powered by": "技術支援：",
    "Queries took": "查詢耗時",
    "Data license": "資料授權",
    "Data source": "資料來源",
    "About": "關於",
    "Contact": "聯絡窗口",
    "API and harvesting": "API 與詮釋資料",
    # catalog
    "Open data": "開放資料",
    "Search datasets and their data": "搜尋資料集與資料內容",
    "Search": "搜尋",
    "Datasets": "資料集",
    "Dataset": "資料集",
    "datasets": "個資料集",
    "rows": "筆",
    "Rows": "資料筆數",
    "Last updated": "最後更新",
    "Update frequency": "更新頻率",
    "By topic": "依主題分類",
    "By policy area": "依施政分類",
    "By service": "依服務分類",
    "Topic": "主題分類",
    "Policy": "施政分類",
    "Service": "服務分類",
    "local code, not from the official list": "本機關自訂代碼，非官方分類",
    "local": "自訂",
    "No dataset in this category yet.": "此分類目前沒有資料集。",
    "All categories": "所有分類",
    "Results for": "搜尋結果：",
    "Matching datasets": "符合的資料集",
    "Rows containing the words": "資料內容含有搜尋字詞",
    "matching rows": "筆符合",
    "Nothing found. Try fewer or shorter words.": "查無結果，請減少或縮短搜尋字詞。",
    "Type at least one word.": "請輸入至少一個字詞。",
    "Other datasets": "其他資料集",
    # landing page
    "Description": "資料集描述",
    "Fields": "主要欄位說明",
    "Field": "欄位",
    "Label": "名稱",
    "Type": "型別",
    "Unit": "單位",
    "Keywords": "關鍵字",
    "Time coverage": "資料涵蓋期間",
    "Field description": "說明",
    "Classification": "分類",
    "Licence": "授權方式",
    "Attribution": "顯名聲明",
    "Publisher": "提供機關",
    "Version": "版本",
    "First published": "上架日期",
    "Changelog": "異動紀錄",
    "Published": "發布時間",
    "Added": "新增",
    "Removed": "刪除",
    "Changed": "變更",
    "No changes recorded yet.": "尚無異動紀錄。",
    "Download": "下載",
    "CSV (UTF-8)": "CSV（UTF-8）",
    "CSV for Excel": "Excel 用 CSV",
    "CSV with a byte-order mark, so Excel on Windows shows Chinese correctly": "含 BOM 的 CSV，Windows 版 Excel 可正確顯示中文",
    "JSON": "JSON",
    "Whole database (SQLite)": "完整資料庫（SQLite）",
    "Browse and filter the data": "瀏覽與篩選資料",
    "API examples": "API 使用範例",
    "First 50 rows as JSON": "前 50 筆資料（JSON）",
    "Full-text search as JSON": "全文檢索（JSON）",
    "Metadata for data.gov.tw": "data.gov.tw 詮釋資料",
    "Charts": "統計圖表",
    "Data behind the chart": "圖表資料",
    "Show the data as a table": "以表格顯示圖表資料",
    "Cost": "計費方式",
    "Free": "免費",
    # datasette chrome (database, table, row, query pages)
    "Tables": "資料表",
    "Hidden tables": "隱藏的資料表",
    "Views": "檢視表",
    "Queries": "預存查詢",
    "Custom SQL query": "自訂 SQL 查詢",
    "Run SQL": "執行 SQL",
    "Format SQL": "格式化 SQL",
    "Download SQLite DB": "下載 SQLite 資料庫",
    "Edit SQL": "編輯 SQL",
    "Query": "查詢",
    "row": "筆",
    "rows where": "筆，條件：",
    "sorted by": "排序依據",
    "descending": "遞減",
    "Apply": "套用",
    "Sort by": "排序",
    "Sort": "排序",
    "Filters": "篩選條件",
    "Remove this filter": "移除此條件",
    "Add filter": "新增條件",
    "Column": "欄位",
    "Operator": "運算子",
    "Value": "值",
    "Search this table": "搜尋此資料表",
    "Advanced export": "進階匯出",
    "Download file": "下載檔案",
    "Expand all rows": "列出所有資料",
    "stream all rows": "串流輸出全部資料",
    "Export": "匯出",
    "This data as": "此資料的格式：",
    "View and edit SQL": "檢視與編輯 SQL",
    "Next page": "下一頁",
    "Suggested facets": "建議的分面",
    "Link": "連結",
    "Show all columns": "顯示所有欄位",
    "Hide this column": "隱藏此欄位",
    "Links from other tables": "其他資料表的參照",
    "0 rows": "0 筆",
    "No matching rows.": "沒有符合的資料。",
    "Returned": "已傳回",
    "rows (max)": "筆（上限）",
    "Row": "資料列",
    "Error": "錯誤",
    "Page not found": "找不到頁面",
    "Database not found": "找不到這個資料庫",  # Datasette's own 404 messages
    "Table not found": "找不到這個資料表",
    "Record not found": "找不到這筆資料",
    "Total": "合計",
    "Facets timed out": "分面計算逾時",
    "default": "預設",
    "newline-delimited": "逐行分隔",
    "CSV options": "CSV 選項",
    "expand labels": "展開標籤",
    "Export CSV": "匯出 CSV",
    "Table schema": "資料表結構",
    "Remove this facet": "移除此分面",
    "Show all values": "顯示所有值",
    "Many rows": "大量資料",
    "Query parameters": "查詢參數",
    "Column menu": "欄位選單",
    "Sort ascending": "遞增排序",
    "Sort descending": "遞減排序",
    "Facet by this": "依此欄分面",
    "Show not-blank rows": "只顯示非空白資料",
    "hide": "隱藏",
    "show": "顯示",
    "Month": "月份",
    "Count": "件數",
    # punctuation, full-width in Chinese (a space before an opening mark collapses in HTML)
    ": ": "：",
    ", ": "、",
    "; ": "；",
    " (": "（",
    ")": "）",
    " “": "「",
    "”": "」",
}


def translator(language: str, messages: dict[str, str] = MESSAGES) -> Callable[[str], str]:
    """``_(text)`` for templates: the zh-TW text of an English key in ``messages``, or the key
    itself in English."""
    if language == EN:
        return lambda text: text
    return lambda text: messages.get(text, text)


def language_of(query_string: str, cookies: dict[str, str]) -> str:
    """The reader's language: ``?_lang=`` first, then the cookie, else zh-TW."""
    requested = dict(parse_qsl(query_string)).get(PARAM)
    if requested in LANGUAGES:
        return requested
    return cookies.get(COOKIE) if cookies.get(COOKIE) in LANGUAGES else ZH


def switch_url(path: str, query_string: str, language: str) -> str:
    """The current page in ``language``."""
    pairs = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True) if k != PARAM]
    pairs.append((PARAM, language))
    return f"{path}?{urlencode(pairs)}"


def language_switch(path: str, query_string: str, language: str) -> dict[str, str]:
    """The link to the current page in the other language: its url, label and hreflang."""
    other = EN if language == ZH else ZH
    return {
        "url": switch_url(path, query_string, other),
        "label": "English" if other == EN else "中文",
        "hreflang": HTML_LANG[other],
    }


def cookie_header(language: str) -> str:
    """The ``Set-Cookie`` value that remembers ``language`` for the rest of the visit."""
    return f"{COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax"


class Fallback(str):
    """A zh-TW text on an English page, shown because its English counterpart is missing."""


def pick(language: str, zh: str | None, en: str | None) -> str | None:
    """A value that exists in both languages (titles, descriptions, names); zh when there is no
    English, as a ``Fallback`` on an English page."""
    if language != EN:
        return zh
    if en:
        return en
    return Fallback(zh) if zh else zh


def lang_attr(text: object) -> Markup:
    """``<p{{ lang_attr(text) }}>``: ` lang="zh-Hant-TW"` when ``text`` is a ``Fallback``."""
    return Markup(f' lang="{HTML_LANG[ZH]}"') if isinstance(text, Fallback) else Markup("")
