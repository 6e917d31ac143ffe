"""The citizen pages' language: Traditional Chinese by default, English on request.

The reader chooses and the choice is remembered exactly as on the open-data portal
(``?_lang=en`` / ``?_lang=zh-TW``, the same cookie, the same 中文/English link): the mechanism
is :mod:`publish.i18n`'s. This module adds the zh-TW texts of the English messages the citizen
templates and handlers write, ``{{ _("Send") }}``, and what a page needs to speak the
reader's language.

The messages are trusted template text and may hold markup (a link inside a sentence), so ``_``
returns them as ``Markup``; values filled in with ``|format(...)`` are escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from publish import i18n

MESSAGES: dict[str, str] = {
    # page chrome, shared with the staff pages (which always show the zh-TW)
    "Feedback": "民意信箱",
    " | BSMI Keelung Branch": "｜經濟部標準檢驗局基隆分局",
    "Skip to main content": "跳到主要內容",
    "Bureau of Standards, Metrology and Inspection, Keelung Branch": "經濟部標準檢驗局基隆分局",
    "Send feedback": "填寫意見",
    "Track your case": "查詢案件進度",
    "BSMI Keelung Branch · Feedback · Office hours: Monday to Friday, 08:30–17:30": (
        "經濟部標準檢驗局基隆分局　民意信箱　服務時間：週一至週五 08:30–17:30"
    ),
    "Staff console": "工作台",
    "Back to %(home)s": "回到%(home)s",
    "Page not found": "找不到這個頁面",
    "This action is not supported": "不支援這個操作",
    "The upload took too long": "上傳逾時",
    "What you sent is too large": "送出的資料太大",
    "Too many attempts; please try again later": "操作太頻繁，請稍後再試",
    # form helpers
    "Please fix these problems before sending (%(count)s)": "送出前請修正以下 %(count)s 個問題",
    "Error: ": "錯誤：",
    " (required)": "（必填）",
    " (optional)": "（選填）",
    "; ": "；",
    ": ": "：",
    ".": "。",
    # the form
    "Feedback: send us your feedback": "民意信箱：填寫意見",
    "You can send a petition, a report, a question, a suggestion or thanks. After sending you"
    " get a case number and a link to follow your case; we aim to reply within %(days)s working"
    " days of receiving it.": (
        "您可以提出陳情、檢舉、諮詢、建議或感謝。送出後會得到案件編號及查詢連結，"
        "我們預定在收件後 %(days)s 個上班日內回覆。"
    ),
    "Leave this field empty": "請勿填寫此欄",
    "Send": "送出",
    "Type of case": "案件類型",
    "What happened": "內容",
    "Tell us what happened, when and where. At most %(max)s characters. Please do not include"
    " personal data we do not need, such as your ID card number.": (
        "請說明發生了什麼事、時間與地點。最多 %(max)s 字。請勿填寫身分證字號等不必要的個人資料。"
    ),
    "The product (if your case is about one)": "商品資料（與商品有關時請填寫）",
    "Product name": "商品名稱",
    "For example: power bank, baby stroller": "例如：行動電源、嬰兒推車",
    "Brand": "廠牌",
    "Model": "型號",
    "Name and address of the shop": "購買商店名稱及地址",
    "If you bought it in a shop": "在實體商店購買時填寫",
    "Web address where you bought it": "購買網址",
    "If you bought it online, for example the address of the product page (https://…)": (
        "在網路購買時填寫，例如商品頁面網址（https://…）"
    ),
    "Date of purchase": "購買日期",
    "Format: 2024-05-31": "格式：2024-05-31",
    "Does the product carry the Commodity Safety Mark?": "商品上有沒有商品安全標章？",
    "Where it happened": "發生地點",
    "City or county, and district": "縣市及鄉鎮市區",
    "For example: Ren'ai District, Keelung City": "例如：基隆市仁愛區",
    "Your contact details": "聯絡資料",
    "I want to stay anonymous and leave no name or contact details": (
        "我要匿名，不留姓名及聯絡方式"
    ),
    "If you stay anonymous we cannot reply to you and may not be able to check facts with you;"
    " you can still follow your case with its case number.": (
        "匿名時我們無法回覆您，也可能無法向您查證；您仍可用案件編號查詢進度。"
    ),
    "Name": "姓名",
    "E-mail": "電子郵件",
    "We send the confirmation and our reply to this address.": "我們會寄送收件通知與回覆到這個地址。",
    "Phone": "電話",
    "For example: 02-2425-1234 or 0912-345-678": "例如：02-2425-1234 或 0912-345-678",
    "Your consent": "同意事項",
    "I agree to receive notices and the reply by e-mail": "我同意以電子郵件接收通知與回覆",
    "I agree that, once the case is closed, its content may be published in de-identified"
    " form": "我同意結案後以去識別化方式公開案件內容",
    "Leaving this unticked does not change how we handle your case. Before publishing we"
    " remove your name, phone number, address and anything else that could identify you; you"
    " can withdraw your consent at any time on your case page.": (
        "不勾選也不影響處理。公開前會移除姓名、電話、地址等可識別您的資料；"
        "您可以隨時在案件查詢頁面撤回同意。"
    ),
    "Attachments": "附件",
    "Up to %(files)s files of at most %(mb)s MB each: JPEG, PNG or HEIC (iPhone) photos, or"
    " PDF; HEIC photos are saved as JPEG. Information in photos such as where they were taken is"
    " removed. If the form comes back with an error, please choose the files again.": (
        "最多 %(files)s 個檔案，每個不超過 %(mb)s MB，限 JPEG、PNG、HEIC（iPhone）照片或 PDF；"
        "HEIC 照片會轉存為 JPEG。照片中的拍攝位置等資訊會被移除。若表單有錯誤，請重新選擇檔案。"
    ),
    # the form's own errors
    "You ticked anonymous: please clear your name and contact details, or untick “I want to"
    " stay anonymous”": "您勾選了匿名，請清除姓名及聯絡方式，或取消勾選「我要匿名」",
    "Please enter your name, or tick “I want to stay anonymous”": "請填寫姓名，或勾選「我要匿名」",
    "Please enter an e-mail address or phone number so that we can reply to you; or tick “I"
    " want to stay anonymous”": "請填寫電子郵件或電話，讓我們能回覆您；或勾選「我要匿名」",
    "To protect your data, this form has expired. What you wrote is still here: please choose"
    " your attachments again and press “Send” once more.": (
        "為了保護您的資料，這份表單已逾時。您填寫的內容都還在，請重新選擇附件後再按一次「送出」。"
    ),
    "{problem}. What you wrote is still here; please wait a moment and send it.": (
        "{problem}。您填寫的內容都還在，請稍候再送出。"
    ),
    # the privacy notice (Personal Data Protection Act, Art. 8): a legal text, translated
    # faithfully line by line
    "Notice on the collection of personal data": "個人資料蒐集告知事項",
    "Under Article 8 of the Personal Data Protection Act, we inform you of the following"
    " before you provide your personal data:": (
        "依個人資料保護法第 8 條規定，於您提供個人資料前告知下列事項："
    ),
    "Collecting agency": "蒐集機關",
    "Keelung Branch of the Bureau of Standards, Metrology and Inspection, Ministry of Economic"
    " Affairs (“this Branch”).": "經濟部標準檢驗局基隆分局（以下稱本分局）。",
    "Purpose of collection": "蒐集目的",
    "To receive and handle your petition, report, question, suggestion or thanks, to reply to"
    " you with the outcome, and for statistical analysis to improve our services.": (
        "受理及處理您的陳情、檢舉、諮詢、建議或感謝，回覆您處理結果，以及統計分析以改善服務。"
    ),
    "Categories of personal data": "個人資料類別",
    "Data identifying a person: name, e-mail address, phone number; and any other data you"
    " yourself provide in your message and attachments.": (
        "辨識個人者：姓名、電子郵件地址、電話；以及您在內容及附件中自行提供的其他資料。"
    ),
    "Period, area, recipients and manner of use": "利用期間、地區、對象及方式",
    "Period: from the day we receive your case until the retention period for official records"
    " ends after the case is closed. Area: within the Republic of China (Taiwan).": (
        "期間：自收件日起至案件結案後依公文檔案保存年限屆滿為止。地區：中華民國境內。"
    ),
    "Recipients: this Branch and the Bureau of Standards, Metrology and Inspection; where a"
    " case falls within the competence of another agency (for example, food falls within that"
    " of the Food and Drug Administration, Ministry of Health and Welfare),": (
        "對象：本分局及經濟部標準檢驗局；案件屬其他機關權責（例如食品屬衛生福利部食品藥物管理署）時，"
    ),
    "your data will also be provided to that agency so that the case can be referred to it."
    " Manner: processed and used in writing, electronically or by other appropriate means.": (
        "為移送處理，將一併提供予該權責機關。方式：以書面、電子或其他適當方式處理及利用。"
    ),
    "The published datasets contain only de-identified statistics and case summaries, never"
    " your name or contact details;": (
        "公開的資料集只包含去識別化後的統計與案件摘要，不含您的姓名及聯絡方式；"
    ),
    "the content of your case is published, de-identified, after the case is closed only if"
    " you have ticked your consent, and you may withdraw that consent at any time.": (
        "案件內容僅在您勾選同意後，才於結案後去識別化公開，且您可隨時撤回同意。"
    ),
    "Your rights and how to exercise them": "您的權利及行使方式",
    "Under Article 3 of the Personal Data Protection Act, you may, regarding your personal"
    " data: make an inquiry or ask to review it, ask for a copy, ask for it to be supplemented"
    " or corrected,": (
        "依個人資料保護法第 3 條，您可就您的個人資料：查詢或請求閱覽、請求製給複製本、請求補充或更正、"
    ),
    "ask for its collection, processing or use to be stopped, or ask for it to be deleted. To"
    " do so, call or write to this Branch, quoting your case number.": (
        "請求停止蒐集、處理或利用、請求刪除。請以案件編號來電或來函本分局提出申請。"
    ),
    "If you do not provide it": "不提供的影響",
    "You are free to choose whether to provide personal data. If you do not give your name and"
    " contact details (anonymous), this Branch will still record your feedback and take it"
    " into account,": (
        "您可自由選擇是否提供個人資料。若不提供姓名及聯絡方式（匿名），本分局仍會登錄並參考您的意見，"
    ),
    "but cannot reply to you with the outcome, and under Article 173 of the Administrative"
    " Procedure Act an anonymous petition need not be handled.": (
        "但無法回覆您處理結果，且依《行政程序法》第 173 條，匿名陳情得不予處理。"
    ),
    # refused and expired forms
    "Cannot accept this form": "無法受理",
    "We cannot accept this form": "無法受理這份表單",
    "This form does not look as if a person filled it in, so it was not sent. If you were"
    ' sending feedback, please <a href="/feedback">open the form again</a> and try once more,'
    " or call us.": (
        '這份表單看起來不是由人填寫的，因此沒有送出。如果您是在填寫意見，請<a href="/feedback">'
        "重新開啟表單</a>再試一次，或來電洽詢。"
    ),
    "This page has expired": "頁面已逾時",
    "To protect your data, this page has expired and what you did was not sent. Please"
    ' <a href="%(retry)s">open the case page again</a> and try once more.': (
        '為了保護您的資料，這個頁面已逾時，您的操作沒有送出。請<a href="%(retry)s">'
        "重新開啟案件頁面</a>後再試一次。"
    ),
    # the confirmation
    "We have received your case %(tracking)s": "已收到您的案件 %(tracking)s",
    "We have received your case": "已收到您的案件",
    "Your case number": "您的案件編號",
    "Access code: ": "查詢碼：",
    "Please write down the case number and access code, or bookmark the link below. The access"
    " code is shown only this once and we cannot send it again; if you call us, tell the"
    " officer your case number.": (
        "請記下案件編號及查詢碼，或收藏下面的查詢連結。查詢碼只顯示這一次，我們無法補發；"
        "用電話詢問時，請告訴承辦人員案件編號。"
    ),
    "We aim to finish handling it by <strong>%(due_date)s</strong>": (
        "我們預定在 <strong>%(due_date)s</strong> 前處理完畢"
    ),
    ". You chose to stay anonymous, so we cannot reply to you; please use the link to see the"
    " result": "。您選擇匿名，因此我們無法回覆您，請用查詢連結查看處理結果",
    " and will let you know by e-mail": "，並以電子郵件通知您",
    "Link to your case": "查詢連結",
    "See the progress of case %(tracking)s": "查看案件 %(tracking)s 的處理進度",
    "Full address: ": "完整網址：",
    " (it contains your access code; do not share it)": "（含查詢碼，請勿分享給他人）",
    "Scan with your phone": "以手機掃描",
    "This QR code is the link above; scan it with your phone's camera to open it.": (
        "這個 QR code 是上面的查詢連結，用手機相機掃描即可開啟。"
    ),
    "Send another": "再填寫一件",
    "Link to case {tracking}": "案件 {tracking} 查詢連結",
    "QR code: opens the page of case {tracking}": "QR code：開啟案件 {tracking} 的查詢頁面",
    # looking a case up
    "Enter the case number and access code you received after sending your feedback (they"
    " are also in the confirmation e-mail).": (
        "請輸入送出意見後取得的案件編號及查詢碼（也在收件通知信中）。"
    ),
    "Case number": "案件編號",
    "Access code": "查詢碼",
    "Look up": "查詢",
    "Please enter the case number": "請輸入案件編號",
    "This is not a case number; it looks like KF-7QH3-MX9C-R. Please check it again": (
        "案件編號格式不正確，應像 KF-7QH3-MX9C-R，請再核對一次"
    ),
    "Please enter the access code (it is on the page shown after sending, and in the"
    " confirmation e-mail)": "請輸入查詢碼（在送出後的頁面及收件通知信中）",
    "We cannot find this case, or the access code is wrong. Please check the case number and"
    " access code in your confirmation.": (
        "找不到這個案件，或查詢碼不正確。請核對收件通知上的案件編號與查詢碼。"
    ),
    # the status page
    "Progress of case %(tracking)s": "案件 %(tracking)s 處理進度",
    "Status": "目前狀態",
    "Received on": "收件時間",
    "Due by": "預定完成日",
    "Handled by": "承辦單位",
    "Your feedback": "您的意見",
    " (%(size)s KB)": "（%(size)s KB）",
    "Our reply": "本分局回覆",
    "History": "處理歷程",
    "Satisfaction survey": "滿意度調查",
    "How satisfied are you with how we handled your case? (1 = very dissatisfied, 5 = very"
    " satisfied)": "您對這次的處理滿意嗎？（1 分最不滿意，5 分最滿意）",
    "%(score)s out of 5": "%(score)s 分",
    "Comments": "意見",
    "Send the survey": "送出調查",
    "You have answered the satisfaction survey (%(score)s out of 5). Thank you for your"
    " feedback.": "您已回覆滿意度調查（%(score)s 分），謝謝您的意見。",
    "Please choose a score from 1 to 5": "請選擇 1 到 5 分",
    "Thank you for answering the satisfaction survey.": "謝謝您填寫滿意度調查。",
    "Consent to publish": "公開同意",
    "You agreed that the content of your case may be published in de-identified form once it"
    " is closed. If you withdraw, we will not publish it (anything already published is"
    " removed at the next update).": (
        "您曾同意在結案後以去識別化方式公開案件內容。撤回後，我們不會公開您的案件內容"
        "（已公開者會在下次更新時移除）。"
    ),
    "Withdraw consent to publish": "撤回公開同意",
    "Your consent is withdrawn: we will not publish the content of your case.": (
        "已撤回公開同意，我們不會公開您的案件內容。"
    ),
}


def page_language(request: Request) -> str:
    """The reader's language: ``?_lang=`` first, then the portal's cookie, else zh-TW."""
    return i18n.language_of(request.url.query, request.cookies)


def message_translator(language: str) -> Callable[[str], str]:
    """``_(message)`` for the citizen handlers: the message in ``language``, as plain text."""
    return i18n.translator(language, MESSAGES)


def translator(language: str) -> Callable[[str], Markup]:
    """``_(message)`` for the templates: the message in ``language``, as trusted markup."""
    translate = message_translator(language)
    return lambda message: Markup(translate(message))


def template_texts(language: str) -> dict[str, Any]:
    """``_`` and ``html_lang`` for a page in ``language`` (the staff pages always get zh-TW)."""
    return {"_": translator(language), "html_lang": i18n.HTML_LANG[language], "lang": language}


def citizen_page_texts(request: Request, address: str | None = None) -> dict[str, Any]:
    """Everything a citizen page needs for its language, including the link to the other one.

    The link leads to ``address`` (``path?query``), by default the page itself; a page answering
    a POST gives the address a browser can open again, as its own cannot be.
    """
    language = page_language(request)
    path, _, query = (address or f"{request.url.path}?{request.url.query}").partition("?")
    return {
        **template_texts(language),
        "lang_switch": i18n.language_switch(path, query, language),
    }


def remember_language(request: Request, response: Response) -> None:
    """Keep a ``?_lang=`` choice in the portal's cookie, so the whole visit stays in it."""
    requested = request.query_params.get(i18n.PARAM)
    if requested in i18n.LANGUAGES:
        response.headers.append("set-cookie", i18n.cookie_header(requested))
