"""Write the labelled de-identification corpus ``tests/data/deid_corpus.jsonl`` (deterministic).

Run once: ``.venv/bin/python tests/data/make_deid_corpus.py``. Every value is fake: names are
drawn from common surnames and given names, IDs are random with a valid checksum (or a wrong
one for the look-alikes), phones are random numbers valid under Taiwan's numbering plan.

Each record is ``{"id", "kind", "text", "spans": [{"type", "start", "end"}], "keep": [...]}``:
``spans`` mark personal values (the detector types), ``keep`` marks look-alikes the public
needs (model numbers, BSMI numbers, CCC codes, case numbers, company names and UBNs, prices,
quantities, event dates, districts, unit names). Records are built from sentence frames of
five kinds of text; about one record in eight is converted to Simplified Chinese.

``deid_corpus_handwritten.jsonl`` holds records written by hand in free form (``HANDWRITTEN``),
a check that the scrubber is not only good at the frames it was developed against; its misses
were studied and fixed once. ``deid_corpus_heldout.jsonl`` (``HELD_OUT``) was written after
that and never used for tuning.
"""

from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path

import opencc
import phonenumbers

from ingest.deid import gazetteer
from ingest.deid.tw_ids import is_national_id, is_resident_id, is_ubn

SEED = 20231115
RECORDS = 600
OUT = Path(__file__).with_name("deid_corpus.jsonl")
OUT_HANDWRITTEN = Path(__file__).with_name("deid_corpus_handwritten.jsonl")
OUT_HELD_OUT = Path(__file__).with_name("deid_corpus_heldout.jsonl")

SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏"
    "孫戴范方宋鄧杜傅侯曹薛阮丁卓馬董温古藍石紀唐蔣姚連馮歐程湯田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸"
)
GIVEN_NAMES = [
    "志明",
    "淑芬",
    "美玲",
    "家豪",
    "怡君",
    "雅婷",
    "冠宇",
    "宗翰",
    "承恩",
    "佩珊",
    "惠雯",
    "宜蓁",
    "欣怡",
    "柏翰",
    "建宏",
    "俊傑",
    "文雄",
    "秀英",
    "麗華",
    "國華",
    "明德",
    "芷若",
    "詠晴",
    "品妍",
    "子涵",
    "宥辰",
    "昱廷",
    "彥廷",
    "晉維",
    "書豪",
    "馨儀",
    "琬婷",
    "佳穎",
    "筱涵",
    "郁婷",
    "振興",
    "金龍",
    "玉珠",
    "春嬌",
    "文彬",
    "志偉",
    "俊宏",
    "凱翔",
    "睿哲",
    "家瑜",
    "姿穎",
    "思妤",
    "雨晴",
    "沛蓉",
    "韋辰",
    "奕辰",
    "柏宇",
    "品睿",
    "承翰",
    "瀞文",
    "筑君",
    "婕妤",
    "琇雯",
    "麗卿",
    "素貞",
    "美惠",
    "碧霞",
    "秋月",
    "天賜",
    "文忠",
    "榮輝",
    "昭明",
    "正雄",
    "進財",
    "添丁",
    "火旺",
    "淑惠",
    "麗美",
    "月娥",
    "阿滿",
    "金蓮",
    "志豪",
    "建志",
    "宏達",
    "信宏",
    "嘉玲",
    "慧君",
    "雅雯",
    "怡伶",
    "宛臻",
    "佳蓉",
    "靜宜",
    "俐君",
    "哲瑋",
    "冠廷",
    "育誠",
    "政勳",
    "裕民",
    "世昌",
    "天佑",
    "仁傑",
    "宇軒",
    "怡萱",
    "采潔",
    "庭瑋",
    "忠",
    "明",
    "勇",
    "華",
    "芳",
    "英",
    "玲",
    "豪",
    "傑",
    "慧",
]
HONORIFICS = ("先生", "小姐", "女士", "太太", "阿姨", "老闆", "媽媽", "老師")
SEX_FORMS = ("男子", "女子", "民眾", "先生", "小姐", "女士", "男", "婦人")
ROADS = [
    "中正路",
    "忠一路",
    "信二路",
    "愛三路",
    "仁五路",
    "孝四路",
    "義七路",
    "中山一路",
    "復興路",
    "民族路",
    "成功路",
    "和平東路",
    "重慶南路",
    "林森北路",
    "光復南路",
    "自強街",
    "建國路",
    "南榮路",
    "東信路",
    "安一路",
    "明德一路",
    "暖暖街",
    "文化路",
    "中華路",
    "大同街",
    "新生路",
    "永康街",
    "仁愛路",
    "公園路",
    "港西街",
    "環港街",
    "大武崙路",
    "基金一路",
    "八德路",
    "長庚路",
    "正義路",
    "福德街",
    "民權路",
    "崇德路",
    "西定路",
]
PRODUCTS = [
    "延長線",
    "行動電源",
    "電暖器",
    "吹風機",
    "兒童玩具",
    "安全帽",
    "電熱水壺",
    "除濕機",
    "電動自行車電池",
    "LED燈泡",
    "充電器",
    "烤箱",
    "電鍋",
    "嬰兒床",
    "自行車頭盔",
    "插座",
    "電風扇",
    "捕蚊燈",
    "旅行轉接頭",
    "玩具槍",
    "磁力片積木",
    "瓦斯爐",
    "熱水器",
    "電熱毯",
    "手機充電線",
    "筆電變壓器",
]
SHOPS = [
    "五金行",
    "夜市攤位",
    "大賣場",
    "3C賣場",
    "雜貨店",
    "十元商店",
    "藥妝店",
    "量販店",
    "電器行",
    "市場攤商",
    "文具店",
    "玩具店",
]
DEFECTS = ["冒煙", "外殼融化", "插頭發燙", "電池膨脹", "零件斷裂", "漏電", "發出焦味", "開關失靈"]
MARKS = ["商品安全標章", "檢驗標識", "中文標示", "BSMI標章", "RoHS標示"]
COUNTRIES = ["中國大陸", "越南", "日本", "泰國", "馬來西亞", "韓國"]
UNITS = [
    "電資產品課",
    "化工產品課",
    "機械產品課",
    "度量衡課",
    "第一課",
    "第二課",
    "秘書室",
    "檢驗行政課",
    "商品檢查課",
]
YARDS = ["西岸貨櫃場", "東岸聯興貨櫃場", "台北港貨櫃場", "五堵貨櫃場", "六堵貨櫃場"]
BROKERS = ["大通報關行", "宏遠報關行", "海順報關行", "立德報關行", "聯成報關行"]
MARKETS = ["崁仔頂漁市", "仁愛市場", "信義市場", "安樂市場", "七堵市場", "暖暖市場"]
BRANDS = ["TANITA", "台衡", "凱士", "Shimadzu", "東亞", "佳能"]
COMPANY_HEADS = [
    "瑞豐",
    "大同",
    "昇陽",
    "金華",
    "宏碁",
    "新光",
    "永豐",
    "聯發",
    "台達",
    "長榮",
    "林記",
    "福興",
    "建華",
    "明泰",
    "信義",
    "光寶",
    "和成",
    "美華",
    "志成",
    "國豐",
    "立偉",
    "嘉豪",
]
COMPANY_TAILS = [
    "電器股份有限公司",
    "科技有限公司",
    "國際貿易有限公司",
    "實業股份有限公司",
    "五金行",
    "企業社",
    "商行",
    "電子有限公司",
]
EMAIL_DOMAINS = [
    "gmail.com",
    "yahoo.com.tw",
    "hotmail.com",
    "ms1.hinet.net",
    "outlook.com",
    "pchome.com.tw",
]
CCC_CODES = [
    "8516.31.00.00-4",
    "8504.40.90.00-1",
    "9503.00.99.00-6",
    "8516.10.00.00-1",
    "8539.52.00.00-3",
    "6506.10.00.00-3",
]

ID_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_DIGITS = "012356789"

# Frames: {slot} is replaced by a generated value. Slots that are personal are labelled as
# spans, slots that must survive are labelled as keep; other slots are plain vocabulary.
FRAMES = {
    "complaint": [
        "本人{name}，於{date}在{shop}購買{product}（型號{model}），使用不到一週即{defect}。",
        "陳情人{name}反映，{district}一帶的夜市攤商販售未貼{mark}的{product}，請派員查核。",
        "我的聯絡電話是{phone}，也可以寄信到{email}。",
        "{hon}來電表示，於網路平台購得之{product}無商品檢驗標識，要求退費。",
        "檢舉人{name}（身分證字號{nid}）指出，{company}（統一編號{ubn}）進口之{product}疑似未經報驗。",
        "如需補件請聯絡我{mobile}，住址：{addr}。",
        "我住在{street}，樓下的{shop}整天賣沒有標示的{product}。",
        "購買收據金額{price}，共{qty}，發票日期{date}。",
        "{sexform}在{district}的市場購買{product}，插上電源後{defect}，幸無人受傷。",
        "請回覆至LINE ID：{line}，或撥打{landline}找{namehon}。",
        "申訴人{name}希望退款，退款請匯入帳號{bank}。",
        "商品上只有{bsmi}字樣，但查不到登錄資料，型號為{model}。",
        "我是{name}，出生日期{birth}，身分證{idlike}，之前已經陳情過一次，案號{caseno}。",
        "店家老闆{name}態度很差，說{product}是{country}原裝不需要檢驗。",
        "我先生{name}騎車牌{moto}的機車去買，回來就發現外殼破裂。",
        "附上照片三張，商品標示的製造商為{company}。",
        "{hon}表示家中{product}於{date}充電時{defect}，序號{serial}。",
        "麻煩盡快處理，我的手機{mobile}白天都找得到我，謝謝！",
    ],
    "volunteer": [
        "義務監視員{name}於{date}至{district}{shop}查看，發現{qty}{product}未標示{mark}。",
        "監視員回報：{shop}陳列之{product}型號{model}，標示之登錄字號{bsmi}與資料庫不符。",
        "店員{name}稱貨源來自{company}，進貨單價{price}。",
        "現場聯絡人{namehon}，電話{phone}。",
        "賣場位於{addr}，營業時間至晚上十點。",
        "建議由{unit}派員複查，並通知{company}說明。",
        "拍攝商品外箱貨號{model}，CCC碼{ccc}。",
        "監視員本人電話{mobile}，如需補充資料請來電。",
        "網路賣家自稱{namehon}，聯絡信箱{email}，出貨地址{addr}。",
        "{name}與我一同前往{district}查看，現場共{qty}。",
    ],
    "inspection": [
        "查核人員{name}、{name}於{date}赴{company}查核，負責人{name}在場。",
        "現場抽樣{product}{qty}，型號{model}，送{unit}檢驗。",
        "業者{company}統一編號{ubn}，登記地址{addr}。",
        "處分書已送達負責人{name}，送達地址{addr}，簽收人為{sexform}。",
        "申請書案號{appno}之報驗批經抽驗不合格，不合格數量{qty}。",
        "報驗義務人聯絡人{namehon}，聯絡電話{landline}，傳真{landline}。",
        "{yard}查驗時發現{qty}{product}未附{mark}，承辦人{name}已通知{broker}。",
        "負責人{name}表示將於{date}前完成改正，並提供切結書。",
        "業者代表{hon}出示{bsmi}證書影本，惟型號{model}不在登錄範圍內。",
        "本件依商品檢驗法處罰鍰{price}，CCC碼{ccc}。",
        "依民眾提供之車號{plate}，該貨車載運未報驗之{product}。",
    ],
    "metrology": [
        "計程車車號{plate}計費表檢定不合格，駕駛人{name}，身分證字號{nid}。",
        "駕駛{name}（電話{mobile}）表示計費表已送修，車行為{company}。",
        "{district}加油站加油機{qty}檢定合格，器號{serial}。",
        "所有人{name}住{addr}，車牌號碼{plate}，出生{birth}。",
        "計程車司機{name}駕駛{plate}於{date}到檢，複檢合格。",
        "外籍駕駛{name}居留證統一證號{rid}，聯絡電話{phone}。",
        "市場攤商{hon}的電子秤（廠牌{brand}型號{model}）誤差超過公差。",
        "檢定人員{name}於{district}{market}執行秤重器檢查，共檢查{qty}。",
        "車主{namehon}的計程車{plate}今日完成換表，檢定費{price}。",
    ],
    "case": [
        "案件{caseno}：{hon}反映{product}問題，已轉{unit}處理。",
        "承辦人{name}於{date}以電話{phone}聯繫陳情人，說明處理情形。",
        "陳情人要求以電子郵件{email}回覆，不願留電話。",
        "經查{sexform}所述商品為{company}進口，報驗號碼{appno}，檢驗合格。",
        "回覆內容已寄至{addr}，收件人{namehon}。",
        "民眾表示曾匯款{price}至賣家帳戶{bank}，但未收到商品。",
        "陳情人之子{name}亦在場，聯絡電話{mobile}。",
        "本案涉及{masked}等三人，均已告知檢驗結果。",
        "檢舉人{name}的LINE是{line}，希望用LINE聯繫。",
        "民眾{namehon}今日再次來電詢問進度，電話{phone}，已請{unit}回電。",
        "{name}說他跟{name}一起去{district}的{shop}看到這批{product}。",
        "感謝{name}熱心提供線索，已移請{unit}查處。",
        "本分局{unit}於{date}受理{qty}，均已結案。",
        "出生年月日：{birth}；聯絡地址：{addr}。",
        "機車車牌{moto}之騎士{sexform}在路邊販售{product}。",
        "{name}與{name}合資開設{company}，統一編號{ubn}。",
        "查證後，{masked}為網路賣家，已發函{company}請其下架。",
        "民眾{hon}的身分證號碼{nid}已核對無誤，{date}寄出回函。",
        "居留證號{rid}的{namehon}透過翻譯陳述購買經過。",
        "陳情人留下的住址是{street}，另提供市話{landline}。",
    ],
}

# Free-form records written by hand, not from the frames above, to check that the scrubber
# generalises beyond them. Markup: ⟦type|value⟧ is personal, ⟪type|value⟫ must be kept.
HANDWRITTEN = [
    "您好，我上週在蝦皮買了一個⟪model|PD-6500⟫行動電源，賣家叫⟦name|林子翔⟧，充電才兩天就膨脹了，我的電話是⟦phone|0928-113-457⟧，麻煩幫我查一下有沒有⟪bsmi|R34567⟫這個字號。",
    "⟦name|黃⟧小姐於⟪event_date|9/14⟫下午兩點來電，反映住家附近便利商店販售的暖暖包沒有中文標示，她說可以打她家裡電話⟦phone|(02)2462-8801⟧找她。",
    "監視員回報：⟪district|基隆市中山區⟫⟦address|中和路168號⟧旁的攤販有賣兒童玩具槍，外盒只有英文，貨主自稱⟦name|阿忠⟧，手機⟦phone|0955 667 123⟧。",
    "有位⟦name|蔡⟧姓婦人帶著孫子來分局，說玩具的小零件掉出來差點被吞下去，留了地址⟪district|新北市汐止區⟫⟦address|大同路二段301巷5號⟧。",
    "報驗義務人⟪company|大豐國際貿易有限公司⟫（統一編號⟪ubn|12345675⟫）聯絡人⟦name|鄭雅文⟧，電話⟦phone|02-8792-3345 #205⟧，本批⟪quantity|480箱⟫延長線抽樣不合格。",
    "計程車⟦plate|TDA-5867⟧的司機⟦name|蘇建銘⟧先生說計費表跳太快，乘客⟦name|方⟧小姐有錄影，乘客手機⟦phone|0919-225-336⟧。",
    "我叫⟦name|邱美華⟧，身分證是⟦national_id|H223344550⟧，去年⟪event_date|11月⟫買的除濕機到現在都沒退款，請幫我！！",
    "賣家要我匯款到⟦bank_account|0081-2345-6789-01⟧（華南），付了⟪price|2,350元⟫卻一直沒出貨，賣家LINE：⟦line_id|happybuy168⟧。",
    "⟦name|吳⟧先生表示，他騎機車⟦plate|MKL-263⟧經過⟪district|暖暖區⟫看到有人在路邊賣來路不明的安全帽，一頂⟪price|150元⟫。",
    "外籍移工⟦name|阮氏蘭⟧（居留證號⟦resident_id|AC03095424⟧）反映雇主提供的電暖器漏電，聯絡窗口是仲介⟦name|楊⟧經理⟦phone|03-4567-890⟧。",
    "商品檢驗標識⟪bsmi|T33021⟫，CCC code ⟪ccc|8516.29.00.00-7⟫，型號⟪model|HT-2023A⟫，檢驗結果不合格，已通知業者限期改正。",
    "陳情內容：本人⟦name|張惠美⟧，民國⟦birthdate|59年7月8日⟧生，住⟪district|臺中市北屯區⟫⟦address|崇德路三段88號7樓之1⟧，電子信箱⟦email|huimei.chang@yahoo.com.tw⟧。",
    "請⟪unit|度量衡課⟫派員到⟪district|七堵區⟫的市場檢查磅秤，攤商⟦name|游⟧老闆的秤明顯不準，我買一斤豬肉只有⟪quantity|520公克⟫。",
    "To whom it may concern, my name is ⟦name|陳冠廷⟧, email ⟦email|kt.chen@outlook.com⟧, phone ⟦phone|+886 933 456 120⟧. The charger I bought (model ⟪model|QC-30W⟫) overheated.",
    "案件編號⟪case_no|1130412-0087⟫：經查⟦name|李○○⟧販售之商品為⟪company|順發電器行⟫進貨，已函請⟪unit|電資產品課⟫續處。",
    "檢舉人不願具名，只留下電子郵件⟦email|anon.report2024@gmail.com⟧，希望查核⟪company|好樂買量販店⟫販售的電鍋。",
    "駕駛⟦name|高志豪⟧（⟦national_id|E125566782⟧）所駕車號⟦plate|KAA-0931⟧計程車於⟪event_date|113年5月6日⟧複檢合格。",
    "⟦name|王⟧太太說她兒子⟦name|王柏鈞⟧在學校附近文具店買到沒有標示的磁力珠，店在⟦address|信二路210號⟧。",
    "我的資料：姓名⟦name|劉家瑋⟧、出生⟦birthdate|1992/10/05⟧、手機⟦phone|0987654321⟧、地址⟪district|桃園市中壢區⟫⟦address|中央西路一段45巷9號⟧。",
    "聯絡人：⟦name|謝宗翰⟧ 分機請轉⟦phone|(02)2345-6789轉311⟧，本公司⟪company|宏星科技股份有限公司⟫對於抽驗結果有意見，申請複驗。",
    "有個⟦name|林⟧姓男子在⟪district|仁愛區⟫夜市賣電蚊拍，說是工廠直營，沒有任何檢驗標誌，他的貨車車牌是⟦plate|8562-QF⟧。",
    "麻煩回覆到⟦email|service_tw@pchome.com.tw⟧，或是打⟦phone|０９３３－２２１－１０９⟧找⟦name|曾⟧小姐，謝謝。",
    "報案人⟦name|羅文傑⟧稱於網拍平台購買之兒童餐椅（品號⟪model|BC-880⟫）扣環斷裂，孩子受傷送醫，要求業者負責。",
    "⟦name|鍾⟧女士來信：家裡的熱水器⟪model|GH-1635⟫點火時爆燃，安裝師傅⟦name|周宏明⟧說是產品瑕疵，請協助查明。",
    "⟪unit|第二課⟫承辦人於⟪event_date|112/08/21⟫電話聯繫陳情人⟦name|施淑娟⟧（⟦phone|0912-884-207⟧），告知檢驗結果合格。",
    "民眾⟦name|Kevin⟧ Lin留了LINE ID ⟦line_id|kevinlin_88⟧，說他在⟪district|基隆市信義區⟫買到假的⟪bsmi|R3A056⟫標章插座。",
    "本週抽查⟪quantity|35家⟫業者，其中⟪quantity|3家⟫未標示商品安全標章，已依法處⟪price|新臺幣3萬元⟫罰鍰。",
    "承辦⟦name|簡⟧先生已將資料轉寄至⟦email|jian.dept@bsmi.gov.tw⟧，請⟦name|馬⟧小姐留意收信。",
    "我先生⟦name|詹益豪⟧的帳戶是中華郵政 ⟦bank_account|0041234 5678901⟧，請將退款匯到這裡。",
    "業者代表人⟦name|莊碧玉⟧出具切結書，承諾於⟪event_date|113年6月30日⟧前回收⟪quantity|1,200台⟫電風扇。",
    "⟦name|許⟧同學在宿舍使用的延長線燒焦，他說是在⟪district|新竹市東區⟫⟦address|光復路一段521號⟧的賣場買的，發票還在。",
    "⟦name|賴⟧先生表示：「我住⟪district|基隆市安樂區⟫⟦address|基金一路208巷12弄3號⟧，樓下機車行⟦name|老陳⟧在賣沒檢驗的電池」。",
    "聯絡資訊：⟦phone|0800-000-123⟧為業者客服專線；陳情人手機⟦phone|0966-012-345⟧。",
    "我是⟦name|周⟧媽媽，小孩的積木有裂縫，生日⟦birthdate|2015-03-21⟧的兒子差點割傷，拜託處理。",
    "查核⟪company|全台五金百貨⟫⟪district|基隆市七堵區⟫門市，店長⟦name|唐士傑⟧配合提供進貨單，貨號⟪model|TS-120⟫。",
    "⟦name|顏⟧先生的車牌號碼⟦plate|ARK-7025⟧，停在⟪district|中正區⟫⟦address|中正路500號⟧前的加油站，油表疑似不準。",
    "申訴人⟦name|杜怡萱⟧、⟦name|杜承恩⟧姊弟共同陳情，二人聯絡電話皆為⟦phone|07-3456789⟧。",
    "依民眾提供照片，販售者為⟦name|洪⟧姓攤商，攤位在⟪district|基隆市仁愛區⟫⟦address|仁三路27號⟧前，販售⟪quantity|20多個⟫無標示的捕蚊燈。",
    "陳情人⟦name|鄧⟧先生要求以書面回覆，寄至⟦address|忠三路99號4樓⟧，郵遞區號⟪district|200⟫。",
    "⟦name|溫家寶⟧同仁於⟪event_date|113年1月8日⟫辦理報驗，申請書號碼⟪application_no|KL11301080015⟧，檢驗合格放行。",
    "⟦name|柯⟧小姐說她買的吹風機（⟪model|HD-8890⟫）冒火花，購買地點是⟪district|宜蘭縣羅東鎮⟫⟦address|中正北路88號⟧的電器行，電話⟦phone|03-9561234⟧。",
    "網友「⟦name|小美⟧」在社群貼文說買到劣質充電線，經聯繫本人⟦name|范雅琪⟧，手機⟦phone|0975-116-228⟧，願意提供樣品。",
    "檢舉內容：⟦name|江⟧老闆的店（⟪company|江記電器⟫）賣二手改裝的電暖器，地址⟦address|孝一路33號⟧，營業時間晚上。",
    "⟦name|彭⟧小姐轉帳⟪price|1,800元⟫到賣家帳號⟦bank_account|812-0098-7654-3210⟧，之後賣家就失聯了。",
    "我們家是⟪district|基隆市暖暖區⟫⟦address|暖暖街120號⟧，⟦name|黎⟧太太，電話⟦phone|2457-3388⟧（基隆）。",
    "簽收人⟦name|蔣明哲⟧已於⟪event_date|113年3月2日⟧收受處分書，罰鍰⟪price|2萬元⟫。",
    "機車行老闆⟦name|戴⟧先生說他的機車⟦plate|NBA-6215⟧被拿去載貨，車上的電池沒有檢驗。",
    "⟦name|姚⟧小姐的身份證字號是⟦national_id|T223344559⟧，她要求我們刪除她的個資。",
    "賣場經理⟦name|孫⟧先生表示商品已全數下架，共計⟪quantity|96件⟫，並提供⟪company|勝利國際有限公司⟫出具之說明書。",
    "報驗行⟪company|立德報關行⟫代⟪company|大同貿易有限公司⟫報驗，CCC⟪ccc|8528.72.20.00-3⟫液晶電視⟪quantity|300台⟫。",
]

# Written after the scrubber was tuned and never used to tune it: the honest check.
HELD_OUT = [
    "昨天晚上九點左右，我在⟪district|基隆市信義區⟫的夜市跟一個自稱⟦name|阿華⟧的攤販買了兩個USB暖手寶，回家插電就燒起來，攤販電話⟦phone|0921-556-708⟧已經打不通。",
    "本案經⟪unit|第一課⟫查證，⟪company|永信國際股份有限公司⟫（統編⟪ubn|04595257⟫）輸入之⟪quantity|1,500組⟫電動牙刷充電座，報驗號碼⟪application_no|KL11305200031⟫，檢驗合格。",
    "志工⟦name|馮玉梅⟧回報：⟪district|暖暖區⟫某五金行陳列的延長線插頭鬆動，店員稱老闆姓⟦name|何⟧，下午才會回來。",
    "請聯繫我的女兒⟦name|蕭雅筑⟧，她的手機是⟦phone|+886-975-338-210⟧，我年紀大不會用電腦。",
    "⟦name|魏⟧先生陳情：樓上鄰居使用大陸製的電暖器，已經跳電三次，他家地址是⟦address|安樂路二段76巷14號5樓⟧。",
    "投訴人⟦name|温嘉欣⟧称在淘宝购买的充电宝没有BSMI标示，联系邮箱⟦email|jiaxin.wen@163.com⟧。",
    "經查網路賣家「⟪company|好物小舖⟫」實際經營者為⟦name|邱○○⟧，已於⟪event_date|113年9月2日⟫發函限期改正。",
    "計程車司機⟦name|林國棟⟧的計費表檢定不合格，車號⟦plate|TDF-2871⟧，請於⟪event_date|10月15日⟫前複檢。",
    "我的身分證字號⟦national_id|A127714826⟧，生日是⟦birthdate|民國65年10月3日⟧，上次申請的案號是⟪case_no|1130901234⟫，到現在都沒有回音。",
    "⟦name|莊⟧阿姨說她在⟪district|七堵區⟫⟦address|明德一路247號⟧的早市買到沒有標示的電子秤，秤十斤少了半斤。",
    "轉帳資料：戶名⟦name|黃志忠⟧，銀行⟪bank|國泰世華⟫，帳號⟦bank_account|0150-5012-3456⟧。",
    "外籍看護⟦name|Siti Rahayu⟧的居留證號碼為⟦resident_id|F900207172⟧，雇主⟦name|鄭⟧太太代為陳情。",
    "承辦人員將於週一回電至⟦phone|(03)9876-543⟧，若無人接聽改寄⟦email|lin.office@hotmail.com⟧。",
    "⟦name|錢⟧姓民眾抱怨，型號⟪model|XG-5010⟫的電熱水瓶保溫燈不亮，售價⟪price|NT$1,980⟫，購於⟪event_date|2024/6/18⟫。",
    "⟪unit|化工產品課⟫於⟪district|新北市中和區⟫查獲未經檢驗之兒童玩具⟪quantity|48件⟫，業者負責人⟦name|葉俊宏⟧坦承未報驗。",
    "機車騎士⟦name|傅⟧先生的機車⟦plate|KLM-5372⟧在⟪district|中山區⟫停放時電池起火，消防隊已到場。",
    "我叫⟦name|宋芷晴⟧，聯絡地址⟪district|基隆市中正區⟫⟦address|義一路88號3樓⟧，電話⟦phone|02-2421-3366⟧，如需補件請通知。",
    "賣場陳列的電風扇（⟪bsmi|R41235⟫）與登錄資料不符，已拍照存證，聯絡人⟦name|戴⟧小姐⟦phone|0911222333⟧。",
    "民眾⟦name|許⟧先生反映⟪company|大買家量販店⟫賣的延長線沒有過載保護，希望能抽驗，CCC碼應為⟪ccc|8536.69.00.00-9⟫。",
    "感謝監視員⟦name|杜⟧大哥提供的線索，本分局已於⟪event_date|8月30日⟫會同警方查扣⟪quantity|320個⟫仿冒插座。",
    "⟦name|王美雲⟧與先生⟦name|李文華⟧一起來分局說明，他們的LINE是⟦line_id|wmy_lwh⟧，希望以LINE聯繫。",
    "退費請匯到郵局帳號⟦bank_account|00012345678901⟧，戶名⟦name|潘⟧小姐，謝謝你們的幫忙。",
    "承辦⟦name|胡⟧科員已將案件移⟪unit|度量衡課⟫，預計⟪event_date|3個工作天⟫內回覆陳情人。",
    "出生日期：⟦birthdate|1978年4月22日⟧，姓名：⟦name|鍾宜庭⟧，性別：女，職業：教師。",
    "檢舉信指稱⟪district|基隆市⟫某電器行老闆⟦name|石⟧先生長期販售水貨冷氣，地址⟦address|孝三路45號⟧。",
]


def _check_digit(body: str) -> str:
    codes = dict(
        zip(
            ID_LETTERS,
            [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35]
            + [23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33],
            strict=True,
        )
    )
    first = codes[body[0]]
    second = codes[body[1]] % 10 if body[1].isalpha() else int(body[1])
    digits = [first // 10, first % 10, second, *(int(c) for c in body[2:])]
    total = sum(d * w for d, w in zip(digits, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return str((10 - total % 10) % 10)


class Values:
    """Random fake values; each method returns (text, label) with label ``None`` for vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items):
        return self.rng.choice(items)

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def full_name(self) -> str:
        return self.pick(SURNAMES) + self.pick(GIVEN_NAMES)

    def id_body(self, second: str) -> str:
        return self.pick(ID_LETTERS) + second + self.digits(7)

    def national_id(self) -> str:
        body = self.id_body(self.pick("12"))
        value = body + _check_digit(body)
        assert is_national_id(value)
        return value

    def resident_id(self) -> str:
        body = self.id_body(self.pick("89ABCD"))
        value = body + _check_digit(body)
        assert is_resident_id(value)
        return value

    def id_lookalike(self) -> str:
        body = self.id_body(self.pick("12"))
        wrong = str((int(_check_digit(body)) + self.rng.randint(1, 9)) % 10)
        return body + wrong

    def mobile_digits(self) -> str:
        while True:
            number = "09" + self.pick("1235678") + self.digits(7)
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "TW")):
                return number

    def landline_parts(self) -> tuple[str, str]:
        layouts = [
            ("02", "2", 7),
            ("02", "8", 7),
            ("03", "4", 6),
            ("04", "2", 7),
            ("049", "2", 6),
            ("05", "2", 6),
            ("06", "2", 6),
            ("07", "3", 6),
            ("08", "7", 6),
            ("037", "3", 5),
            ("089", "3", 5),
            ("082", "3", 5),
            ("02", "2", 7),
            ("02", "2", 7),
        ]
        while True:
            area, lead, rest = self.pick(layouts)
            local = lead + self.digits(rest)
            if phonenumbers.is_valid_number(phonenumbers.parse(area + local, "TW")):
                return area, local

    def mobile(self) -> str:
        d = self.mobile_digits()
        form = self.rng.randrange(9)
        text = [
            d,
            f"{d[:4]}-{d[4:7]}-{d[7:]}",
            f"{d[:4]} {d[4:7]} {d[7:]}",
            f"{d[:4]}-{d[4:]}",
            f"+886-{d[1:4]}-{d[4:7]}-{d[7:]}",
            f"+886 {d[1:4]} {d[4:7]} {d[7:]}",
            f"+886{d[1:]}",
            f"({d[:4]}){d[4:7]}-{d[7:]}",
            f"{d[:4]}-{d[4:7]}-{d[7:]}".translate(_FULL_WIDTH),
        ][form]
        return text

    def landline(self) -> str:
        area, local = self.landline_parts()
        half = len(local) // 2
        text = self.pick(
            [
                f"({area}){local[:half]}-{local[half:]}",
                f"{area}-{local[:half]}-{local[half:]}",
                f"{area} {local}",
                f"+886-{area[1:]}-{local[:half]}-{local[half:]}",
                f"{area}-{local}",
                f"({area}) {local}",
                f"{area}{local}".translate(_FULL_WIDTH),
            ]
        )
        if self.rng.random() < 0.35:
            text += self.pick(["#", "分機", "轉", " 分機 ", " ext. "]) + self.digits(
                self.rng.randint(2, 4)
            )
        return text

    def email(self) -> str:
        user = (
            self.pick(["", "tw.", "my", "a"])
            + "".join(
                self.rng.choice(string.ascii_lowercase) for _ in range(self.rng.randint(3, 8))
            )
            + self.pick(["", ".", "_"])
            + self.digits(self.rng.randint(0, 4))
        )
        return user.strip("._") + "@" + self.pick(EMAIL_DOMAINS)

    def line_id(self) -> str:
        return (
            self.pick(["", "@"])
            + "".join(
                self.rng.choice(string.ascii_lowercase + string.digits + "._")
                for _ in range(self.rng.randint(4, 12))
            ).strip("._")
            + self.pick(["tw", "88", "x", "0"])
        )

    def bank(self) -> str:
        return self.pick(
            [
                self.digits(12),
                f"{self.digits(3)}-{self.digits(10)}",
                f"{self.digits(7)}-{self.digits(7)}",
                self.digits(14),
                f"{self.digits(4)} {self.digits(4)} {self.digits(4)}",
            ]
        )

    def car_plate(self) -> str:
        letters = "".join(self.pick(PLATE_LETTERS) for _ in range(3))
        return self.pick(
            [
                f"{letters}-{''.join(self.pick(PLATE_DIGITS) for _ in range(4))}",
                f"{letters[:2]}-{self.digits(4)}",
                f"{self.digits(4)}-{letters[:2]}",
                f"{self.digits(1)}{letters[0]}-{self.digits(4)}",
                f"E{letters[1:]}-{''.join(self.pick(PLATE_DIGITS) for _ in range(4))}",
            ]
        )

    def moto_plate(self) -> str:
        letters = "".join(self.pick(PLATE_LETTERS) for _ in range(3))
        return self.pick(
            [
                f"{self.digits(3)}-{letters}",
                f"{letters}-{self.digits(3)}",
                f"{letters[:2]}{self.digits(1)}-{self.digits(3)}",
                f"{self.digits(3)}-{self.digits(4)}",
                f"{letters}-{''.join(self.pick(PLATE_DIGITS) for _ in range(4))}",
            ]
        )

    def street(self) -> str:
        road = self.pick(ROADS)
        parts = [road]
        if self.rng.random() < 0.25 and road.endswith("路"):
            parts.append(self.pick("一二三四五") + "段")
        if self.rng.random() < 0.35:
            parts.append(f"{self.rng.randint(1, 300)}巷")
            if self.rng.random() < 0.3:
                parts.append(f"{self.rng.randint(1, 30)}弄")
        parts.append(f"{self.rng.randint(1, 400)}號")
        if self.rng.random() < 0.2:
            parts.append(f"之{self.rng.randint(1, 9)}")
        if self.rng.random() < 0.45:
            parts.append(self.pick([f"{self.rng.randint(2, 15)}樓", f"{self.rng.randint(2, 15)}F"]))
            if self.rng.random() < 0.2:
                parts.append(f"之{self.rng.randint(1, 5)}")
        text = "".join(parts)
        if self.rng.random() < 0.15:
            text = text.translate(_FULL_WIDTH)
        return text

    def division(self) -> str:
        counties = gazetteer.counties()
        county = self.pick(["基隆市"] * 6 + list(counties))
        text = county + self.pick(counties[county])
        return text.replace("臺", "台") if self.rng.random() < 0.5 else text

    def ubn(self) -> str:
        while True:
            value = self.digits(8)
            if is_ubn(value):
                return value

    def date(self) -> str:
        y, m, d = self.rng.randint(108, 113), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick(
            [
                f"{y}年{m}月{d}日",
                f"{y}/{m:02d}/{d:02d}",
                f"{y + 1911}/{m}/{d}",
                f"{y + 1911}-{m:02d}-{d:02d}",
                f"民國{y}年{m}月{d}日",
                f"{m}月{d}日",
            ]
        )

    def birth(self) -> str:
        y, m, d = self.rng.randint(30, 95), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick(
            [
                f"民國{y}年{m}月{d}日",
                f"{y}年{m}月{d}日",
                f"{y}/{m:02d}/{d:02d}",
                f"{y + 1911}/{m:02d}/{d:02d}",
                f"{y + 1911}-{m:02d}-{d:02d}",
                f"{y + 1911}年{m}月{d}日",
            ]
        )

    def price(self) -> str:
        amount = self.rng.choice([299, 850, 1299, 3000, 12000, 45600, 150000, 30000])
        return self.pick([f"新臺幣{amount:,}元", f"NT${amount:,}", f"{amount}元", f"{amount:,}元"])

    def qty(self) -> str:
        return f"{self.rng.choice([2, 3, 12, 30, 120, 2400, 15, 480]):,}{self.pick('個台件組批只箱座')}"

    def model(self) -> str:
        letters = "".join(
            self.rng.choice(string.ascii_uppercase) for _ in range(self.rng.randint(2, 3))
        )
        return self.pick(
            [
                f"{letters}-{self.digits(4)}",
                f"{letters}{self.digits(4)}{self.pick('ABW')}",
                f"{letters}-{self.digits(3)}{self.pick(['W', 'X', 'S', ''])}",
                f"{letters[:2]}{self.digits(3)}-{self.digits(2)}",
            ]
        )

    def bsmi(self) -> str:
        return self.pick(["R", "T", "D", "Q", "M"]) + self.pick(
            [self.digits(5), f"{self.digits(1)}A{self.digits(3)}"]
        )

    def appno(self) -> str:
        return self.pick(
            [
                f"KL{self.rng.randint(108, 113)}{self.digits(8)}",
                f"{self.rng.randint(108, 113)}KL{self.digits(6)}",
            ]
        )

    def caseno(self) -> str:
        return self.pick(
            [
                f"{self.rng.randint(108, 113)}{self.digits(7)}",
                f"KF{self.rng.randint(108, 113)}-{self.digits(4)}",
                f"第{self.rng.randint(108, 113)}{self.digits(6)}號",
            ]
        )

    def serial(self) -> str:
        return f"SN{self.rng.randint(2019, 2024)}{self.pick('ABCK')}{self.digits(4)}"

    def company(self) -> str:
        return self.pick(COMPANY_HEADS) + self.pick(COMPANY_TAILS)


_FULL_WIDTH = {0x21 + i: 0xFF01 + i for i in range(94)}


def fill(frame: str, values: Values) -> tuple[str, list[dict], list[dict]]:
    """The frame with its slots filled, and the personal and keep spans of the filled text."""
    text, spans, keep = "", [], []

    def add(piece: str, label: str | None = None, is_keep: bool = False) -> None:
        nonlocal text
        if label:
            (keep if is_keep else spans).append(
                {"type": label, "start": len(text), "end": len(text) + len(piece)}
            )
        text += piece

    for literal, slot in re.findall(r"([^{]*)(?:\{(\w+)\})?", frame):
        add(literal)
        if not slot:
            continue
        rng = values.rng
        if slot == "name":
            add(values.full_name(), "name")
        elif slot == "namehon":
            add(values.full_name(), "name")
            add(values.pick(HONORIFICS[:3]))
        elif slot == "hon":
            add(values.pick(SURNAMES), "name")
            add(values.pick(HONORIFICS))
        elif slot == "sexform":
            add(values.pick(SURNAMES), "name")
            add("姓" + values.pick(SEX_FORMS))
        elif slot == "masked":
            add(
                values.pick(SURNAMES)
                + values.pick(["○○", "○" + values.pick(GIVEN_NAMES)[-1], "OO", "〇〇"]),
                "name",
            )
        elif slot == "nid":
            add(values.national_id(), "national_id")
        elif slot == "rid":
            add(values.resident_id(), "resident_id")
        elif slot == "idlike":
            add(values.id_lookalike(), "national_id")
        elif slot == "mobile":
            add(values.mobile(), "phone")
        elif slot == "landline":
            add(values.landline(), "phone")
        elif slot == "phone":
            add(values.mobile() if rng.random() < 0.5 else values.landline(), "phone")
        elif slot == "email":
            add(values.email(), "email")
        elif slot == "line":
            add(values.line_id(), "line_id")
        elif slot == "bank":
            if rng.random() < 0.2:
                add(f"（{values.pick(['004', '808', '812', '013', '700'])}）")
            add(values.bank(), "bank_account")
        elif slot == "plate":
            add(values.car_plate(), "plate")
        elif slot == "moto":
            add(values.moto_plate(), "plate")
        elif slot == "birth":
            add(values.birth(), "birthdate")
        elif slot == "addr":
            if rng.random() < 0.2:
                add(f"{rng.randint(200, 209)}")
            add(values.division(), "district", is_keep=True)
            add(values.street(), "address")
        elif slot == "street":
            add(values.street(), "address")
        elif slot == "district":
            add(
                values.division()
                if rng.random() < 0.6
                else values.pick(gazetteer.counties()["基隆市"]),
                "district",
                is_keep=True,
            )
        elif slot == "company":
            add(values.company(), "company", is_keep=True)
        elif slot == "ubn":
            add(values.ubn(), "ubn", is_keep=True)
        elif slot in ("model", "bsmi", "appno", "caseno", "serial", "price", "qty", "date"):
            label = {
                "appno": "application_no",
                "caseno": "case_no",
                "qty": "quantity",
                "date": "event_date",
            }.get(slot, slot)
            add(getattr(values, slot)(), label, is_keep=True)
        elif slot == "ccc":
            add(values.pick(CCC_CODES), "ccc", is_keep=True)
        elif slot == "unit":
            add(values.pick(UNITS), "unit", is_keep=True)
        else:
            vocabulary = {
                "shop": SHOPS,
                "product": PRODUCTS,
                "defect": DEFECTS,
                "mark": MARKS,
                "country": COUNTRIES,
                "yard": YARDS,
                "broker": BROKERS,
                "market": MARKETS,
                "brand": BRANDS,
            }
            add(values.pick(vocabulary[slot]))
    return text, spans, keep


def make_record(index: int, values: Values, to_simplified: opencc.OpenCC) -> dict:
    rng = values.rng
    kind = rng.choice(list(FRAMES))
    frames = rng.sample(FRAMES[kind], k=len(FRAMES[kind]))
    text, spans, keep = "", [], []
    for frame in frames:
        piece, piece_spans, piece_keep = fill(frame, values)
        if text and len(text) + len(piece) > 300:
            continue
        offset = len(text)
        spans += [
            {**s, "start": s["start"] + offset, "end": s["end"] + offset} for s in piece_spans
        ]
        keep += [{**k, "start": k["start"] + offset, "end": k["end"] + offset} for k in piece_keep]
        text += piece
        if len(text) >= rng.randint(100, 260):
            break
    if rng.random() < 0.125:
        converted = to_simplified.convert(text)
        if len(converted) == len(text):
            text = converted
    return {"id": f"r{index:04d}", "kind": kind, "text": text, "spans": spans, "keep": keep}


_MARKUP = re.compile(r"⟦(\w+)\|([^⟧]+)⟧|⟪(\w+)\|([^⟫]+)⟫")


def parse_markup(record_id: str, marked: str) -> dict:
    """A handwritten record: the text without markup, and its personal and keep spans."""
    text, spans, keep, position = "", [], [], 0
    for match in _MARKUP.finditer(marked):
        text += marked[position : match.start()]
        personal_type, personal_value, keep_type, keep_value = match.groups()
        value = personal_value or keep_value
        target = spans if personal_type else keep
        target.append(
            {"type": personal_type or keep_type, "start": len(text), "end": len(text) + len(value)}
        )
        text += value
        position = match.end()
    text += marked[position:]
    return {
        "id": record_id,
        "kind": "handwritten",
        "text": text,
        "spans": spans,
        "keep": keep,
    }


def write_corpora(
    generated: Path = OUT, handwritten: Path = OUT_HANDWRITTEN, held_out: Path = OUT_HELD_OUT
) -> None:
    rng = random.Random(SEED)
    values = Values(rng)
    to_simplified = opencc.OpenCC("t2s.json")
    with generated.open("w", encoding="utf-8") as handle:
        for index in range(RECORDS):
            record = make_record(index, values, to_simplified)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    for path, prefix, lines in ((handwritten, "h", HANDWRITTEN), (held_out, "x", HELD_OUT)):
        with path.open("w", encoding="utf-8") as handle:
            for index, marked in enumerate(lines):
                record = parse_markup(f"{prefix}{index:03d}", marked)
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    write_corpora()
    print(
        f"wrote {RECORDS} generated, {len(HANDWRITTEN)} handwritten, {len(HELD_OUT)} held-out records"
    )


if __name__ == "__main__":
    main()
