"""Each written form of each personal-data type is found, and the must-keep look-alikes are not."""

from __future__ import annotations

import pytest

from ingest.deid.detectors import detect

# (text, type, the value that must be covered by a detected span of that type)
WRITTEN_FORMS = [
    # names
    ("陳情人王小明表示商品有問題", "name", "王小明"),
    ("負責人：林美玲，電話另告", "name", "林美玲"),
    ("檢舉人張家豪於昨日來電", "name", "張家豪"),
    ("司機李大同駕駛計程車", "name", "李大同"),
    ("民眾陳小姐反映插座發燙", "name", "陳小姐"),
    ("王先生說他買到假貨", "name", "王先生"),
    ("請轉告林太太已處理", "name", "林太太"),
    ("一名李姓男子在路邊兜售", "name", "李姓"),
    ("黃姓民眾持發票前來", "name", "黃姓"),
    ("代理人吳翰（身分證A123456789）親至櫃台", "name", "吳翰"),  # sample 備註 notes
    ("待報驗義務人提出處理計畫，已電洽劉信", "name", "劉信"),
    ("負責人王冠不在，由店員簽收", "name", "王冠"),
    ("本案當事人王○○已簽收", "name", "王○○"),
    ("承辦人為陳○明", "name", "陳○明"),
    ("簽收人：吳OO", "name", "吳OO"),
    ("簽收人王Ｏ明", "name", "王Ｏ明"),
    ("經手人陳*華已離職", "name", "陳*華"),
    ("我是許志偉，住在附近", "name", "許志偉"),
    ("感謝歐陽小華熱心提供", "name", "歐陽小華"),
    ("他跟張佩珊一起去買的", "name", "張佩珊"),
    ("查核人員杜文忠、巫英於上午到場", "name", "巫英"),
    # surname + first given character make a very common word (王國, 黃金, 胡子)
    ("我叫王國華，住在基隆", "name", "王國華"),
    ("負責人黃金龍表示會改善", "name", "黃金龍"),
    ("聯絡人：胡子春 0912345678", "name", "胡子春"),
    ("王國華說他買到假貨", "name", "王國華"),
    ("今天下午。黃金龍表示會改善", "name", "黃金龍"),
    ("他跟黃金龍一起去買的", "name", "黃金龍"),
    ("我是王國華的朋友", "name", "王國華"),
    # ... with no cue at all, before what only a person does
    ("通知王國春攜帶證件到場", "name", "王國春"),
    ("昨天黃金龍跟我說這批貨有問題", "name", "黃金龍"),
    ("昨天王國明來電詢問", "name", "王國明"),
    ("駕駛黃金華（電話另告）", "name", "黃金華"),
    ("所有人胡子雄不在場", "name", "胡子雄"),
    ("負責人王國俊不在", "name", "王國俊"),
    ("由李珊（身分證另附）簽收", "name", "李珊"),
    ("貨主高明表示", "name", "高明"),
    ("代理人黃家（電話另告）", "name", "黃家"),
    ("賣家朱德 表示已下架", "name", "朱德"),
    ("謝謝貴局林技士耐心說明", "name", "林技士"),
    ("高明主任表示會處理", "name", "高明主任"),
    ("陳情人王小明至消保中心申訴", "name", "王小明"),
    ("民眾張家豪赴市場購買", "name", "張家豪"),
    ("陈情人刘德明表示", "name", "刘德明"),
    ("张先生来电反映", "name", "张先生"),
    # surname + a given name whose first character makes a word with it (黃家, 李子, 黎明)
    ("申訴人黃家豪表示，延長線沒有標章", "name", "黃家豪"),
    ("我是王家豪，住在附近", "name", "王家豪"),
    ("駕駛余家瑜（電話另告）", "name", "余家瑜"),
    ("賣家叫林子翔，充電才兩天就膨脹", "name", "林子翔"),
    ("。黎明德与我一同前往", "name", "黎明德"),
    # a surname alone, nicknames and foreign names after a cue
    ("店員稱老闆姓何，下午才會回來", "name", "何"),
    ("一位姓歐陽的先生", "name", "歐陽"),
    ("網友「小美」在社群貼文說", "name", "小美"),
    ("同事小陳說他也買了", "name", "小陳"),
    ("外籍看護Nguyen Thi Lan來電", "name", "Nguyen Thi Lan"),
    ("陳情人 Peter O'Neil表示", "name", "Peter O'Neil"),
    ("檢舉人Jean-Luc表示", "name", "Jean-Luc"),
    # national IDs and resident numbers
    ("身分證字號A123456789", "national_id", "A123456789"),
    ("ID:F131104093，女", "national_id", "F131104093"),
    ("身份證Ａ１２３４５６７８９", "national_id", "Ａ１２３４５６７８９"),
    ("統一證號A800000014", "resident_id", "A800000014"),
    ("居留證AB23456789", "resident_id", "AB23456789"),
    ("身分證號碼B123456780（經核對有誤）", "national_id", "B123456780"),
    # phones
    ("手機0912345678", "phone", "0912345678"),
    ("手機0912-345-678", "phone", "0912-345-678"),
    ("手機 0912 345 678", "phone", "0912 345 678"),
    ("手機0912/345/678", "phone", "0912/345/678"),
    ("聯絡電話045122497，請回電", "phone", "045122497"),  # not in the numbering plan
    ("電話(02)2311-1234", "phone", "(02)2311-1234"),
    ("電話02-2311-1234", "phone", "02-2311-1234"),
    ("電話02 23111234", "phone", "02 23111234"),
    ("電話+886-2-2311-1234", "phone", "+886-2-2311-1234"),
    ("手機+886 912 345 678", "phone", "+886 912 345 678"),
    ("手機+886912345678", "phone", "+886912345678"),
    ("電話０２－２３１１－１２３４", "phone", "０２－２３１１－１２３４"),
    ("總機(02)2311-1234#123", "phone", "(02)2311-1234#123"),
    ("電話02-2311-1234分機56", "phone", "02-2311-1234分機56"),
    ("電話02-23111234轉8", "phone", "02-23111234轉8"),
    ("南投049-2222106", "phone", "049-2222106"),
    ("彰化04-7222123", "phone", "04-7222123"),
    ("金門(082)312345", "phone", "(082)312345"),
    ("手机1３８？no: 0937-123456", "phone", "0937-123456"),
    # e-mail
    ("信箱wang.xm@gmail.com", "email", "wang.xm@gmail.com"),
    ("email：lin_88@ms1.hinet.net，謝謝", "email", "lin_88@ms1.hinet.net"),
    ("寄到ａｂｃ＠ｙａｈｏｏ．ｃｏｍ．ｔｗ", "email", "ａｂｃ＠ｙａｈｏｏ．ｃｏｍ．ｔｗ"),
    # LINE
    ("LINE ID：kevin_0912", "line_id", "kevin_0912"),
    ("加我line: @shop88", "line_id", "@shop88"),
    ("賴 abc.def", "line_id", "abc.def"),
    # bank accounts
    ("退款請匯入帳號808-1234567890123", "bank_account", "808-1234567890123"),
    ("郵局帳號0001234-5678901", "bank_account", "0001234-5678901"),
    ("轉帳至戶頭123456789012", "bank_account", "123456789012"),
    # plates
    ("車牌ABC-1235的轎車", "plate", "ABC-1235"),
    ("車號AB-1234", "plate", "AB-1234"),
    ("車牌1234-AB", "plate", "1234-AB"),
    ("機車牌照123-ABC", "plate", "123-ABC"),
    ("騎乘機車ABC-123", "plate", "ABC-123"),
    ("機車車牌305-9008", "plate", "305-9008"),
    ("停在路邊的RAB-3021", "plate", "RAB-3021"),
    ("電動車EAB-1235", "plate", "EAB-1235"),
    ("車牌abc-1235的轎車", "plate", "abc-1235"),
    ("車牌ABC 1235的轎車", "plate", "ABC 1235"),
    # addresses (street part; the district stays)
    ("住址基隆市仁愛區愛一路12號3樓", "address", "愛一路12號3樓"),
    ("住在中正路5號", "address", "中正路5號"),
    ("寄到臺北市中正區重慶南路一段122號", "address", "重慶南路一段122號"),
    ("地址：新北市板橋區文化路二段182巷3弄5號之1", "address", "文化路二段182巷3弄5號之1"),
    ("202基隆市中正區中正路１號５樓之２", "address", "中正路１號５樓之２"),
    ("彰化縣員林市林森北路26號", "address", "林森北路26號"),
    ("南投縣仁愛鄉大同村5鄰12號", "address", "大同村5鄰12號"),
    ("台北市信義區市府路45號", "address", "市府路45號"),
    # dates of birth
    ("出生日期：民國74年3月15日", "birthdate", "民國74年3月15日"),
    ("生日1985/03/15", "birthdate", "1985/03/15"),
    ("出生於68年5月2日", "birthdate", "68年5月2日"),
    ("出生年月日 1990-12-01", "birthdate", "1990-12-01"),
    ("民國59年7月8日生，住在附近", "birthdate", "民國59年7月8日"),
    ("一名74年次的男子", "birthdate", "74年次"),
    ("民國七十四年三月十五日生，住在附近", "birthdate", "民國七十四年三月十五日"),
    ("出生日期：二〇〇一年十二月一日", "birthdate", "二〇〇一年十二月一日"),
]

MUST_KEEP = [
    "型號KX-1250的延長線",
    "型號ABC-1235的充電器",
    "商品安全標章R33445",
    "驗證登錄字號R3A112",
    "型式認可T34567",
    "CCC碼8516.31.00.00-4",
    "申請書案號KL11203150042",
    "案號1120000123",
    "統一編號04595252的瑞豐電器股份有限公司",
    "售價新臺幣1,299元，數量2,400個",
    "於112年3月15日購買",
    "2023/05/02查核",
    "基隆市仁愛區",
    "暖暖區的夜市",
    "電資產品課",
    "化工產品課及度量衡課",
    "林記五金行",
    "台灣中油金山文化一路站",  # a station named after its road
    "台灣中油信義深溪路站",
    "金妤的生活館",  # shops named in the possessive
    "龍明的批發",
    "金惠的雜貨舖",
    "喬山小舖",  # shop names ending in a shop word
    "金寶生活館",
    "龍君的批發",  # 君 is a title, but also a given-name character
    "金華電器股份有限公司",
    "黃金價格上漲",
    "陳列在架上",
    "高雄港的貨櫃",
    "林口區",
    "方便的話",
    "陳情人要求回覆",
    "序號SN2023A0315",
    "檢驗報告編號 SGS-TW-2023-0456",
    "共12批，合格10批",
    "113年度第2季",
    "電資產品課課長與分局長出席",
    "於3月12日生鮮區購買",
    "高中生",
    "我是高中生，想問充電器",
    "我是陳列師，想問標示",
    "我是黃金會員",
    "民眾林業者表示",
    "我是王牌業務",
    "和黃金葛一起種在陽台",
    "我是陳列館的志工",
    "我是林口的居民",
    "高中生說",
    "金山人說",
    "黃金龍舟賽說明會",
    "王國春天很美",
    "王國明天會來",
    "黃金價格說漲就漲",
    "江翠國中附近的文具店",
    "113年1月8日生效",
    "本辦法自一百十三年一月一日起施行",
    "林家電有限公司",
    "金寶家電",
    "金寶生活用品",
    "被王家人發現",
    "王家的狗",
    "消費者小心購買",
    "老百姓的心聲",
    "姓名：",
    "承辦SGS TW",
    "汽車 2000 CC 的引擎",
    "機車150cc的電池",
    "高級主任說明",
    "林業主任",
    "民眾高興地說",
    "老闆方便時",
]


@pytest.mark.parametrize(("text", "entity_type", "value"), WRITTEN_FORMS)
def test_each_written_form_is_found(text, entity_type, value):
    start = text.index(value)
    end = start + len(value)
    covering = [e for e in detect(text) if e.start <= start and e.end >= end]
    assert [e.type for e in covering] == [entity_type], detect(text)


@pytest.mark.parametrize("text", MUST_KEEP)
def test_must_keep_look_alikes_are_not_detected(text):
    assert detect(text) == []


@pytest.mark.parametrize("text", ["陳情人王小明的店。", "我去王小明的店。", "昨天在陳家豪的小舖"])
def test_a_full_name_or_a_name_after_a_role_word_before_a_shop_word_is_a_person(text):
    assert [e.type for e in detect(text)] == ["name"]


def test_entities_carry_offsets_and_text_of_the_input():
    text = "民眾王先生，電話０９１２－３４５－６７８。"
    for entity in detect(text):
        assert text[entity.start : entity.end] == entity.text
    assert [e.type for e in detect(text)] == ["name", "phone"]


@pytest.mark.parametrize(
    "text",
    [
        "02023107",  # a unified business number; Taipei landlines have 8 digits after 02
        "統一編號02022363",
        "電話02023107",  # a phone word, but no valid number without an area code
        "+886 2023107",
    ],
)
def test_eight_digit_numbers_are_business_numbers_not_phones(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("電話2457-3388", "2457-3388"),
        ("TEL:765-4338", "765-4338"),
        ("(03)765-4338", "(03)765-4338"),
    ],
)
def test_numbers_of_the_real_plan_lengths_are_phones(text, value):
    assert [(e.type, e.text) for e in detect(text)] == [("phone", value)]


@pytest.mark.parametrize(
    ("text", "masked"),
    [("王○表示已改善", "王○"), ("簽收人王Ｏ明", "王Ｏ明"), ("王○○已簽收", "王○○")],
)
def test_a_masked_name_is_taken_whole_and_no_further(text, masked):
    assert [e.text for e in detect(text)] == [masked]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("反映中正路5號的店沒有標示", "中正路5號"),
        ("他說信義路三段5號有賣", "信義路三段5號"),
        ("民眾檢舉基隆市仁愛區愛一路12號", "愛一路12號"),
    ],
)
def test_a_verb_before_an_address_is_not_part_of_it(text, address):
    assert [(e.type, e.text) for e in detect(text)] == [("address", address)]


def test_a_number_next_to_a_phone_does_not_hide_it():
    assert [e.text for e in detect("手機0912345678 2台")] == ["0912345678"]


@pytest.mark.parametrize(
    "text",
    [
        "024366216f9a8b81",  # a hex token: the digits before f make a valid Taipei number
        "pseudonym 0912345678ab",
        "09123456789",  # one digit too many for a mobile number
        "ab0912345678",
        "x(02)2311-1234",
        "電話abc12345678def",
        "deadline 2026-08-01",  # line inside deadline is no LINE word
    ],
)
def test_numbers_glued_to_letters_or_digits_are_not_phones(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("手機0912345678LINE同號", "0912345678"),
        ("電話02-2311-1234x12", "02-2311-1234x12"),
        ("TEL2457-3388", "2457-3388"),
        ("手機0912345678，謝謝", "0912345678"),
    ],
)
def test_a_phone_followed_by_an_extension_or_a_line_word_is_found(text, value):
    assert [(e.type, e.text) for e in detect(text)] == [("phone", value)]
