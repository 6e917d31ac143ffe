"""The trained model routes messages the way units.md says, in either script, and explains itself."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from classifier import corpus
from classifier.evaluation import evaluate
from classifier.persist import load_model
from classifier.registry import current_version
from classifier.router import Router
from classifier.text import normalize


def test_the_held_out_split_is_routed_well_and_the_stored_figure_is_true(trained_models):
    version = current_version(trained_models)
    heldout = corpus.split(corpus.shipped_corpus(), "heldout")
    metrics = evaluate(
        load_model(version.path), [e.text for e in heldout], [e.label for e in heldout]
    )
    assert metrics.macro_f1 >= 0.85
    assert metrics.macro_f1 == version.heldout_macro_f1
    assert set(metrics.labels) == set(corpus.UNITS)


def test_the_corpus_has_150_training_messages_per_unit_and_a_separate_held_out_split():
    examples = corpus.shipped_corpus()
    train, heldout = corpus.split(examples, "train"), corpus.split(examples, "heldout")
    for unit in corpus.UNITS:
        assert sum(e.label == unit for e in train) >= 150
        assert sum(e.label == unit for e in heldout) >= 25
    assert not {e.text for e in train} & {e.text for e in heldout}


def test_normalisation_brings_simplified_full_width_and_case_together():
    assert normalize("充电宝ＵＳＢ１２３") == normalize("充電寶usb123") == "充電寶usb123"


TWINS = [
    (
        "計程車司機的計費表跳得很快，才一公里就一百多塊",
        "计程车司机的计费表跳得很快，才一公里就一百多块",
        "計量課",
    ),
    (
        "網路賣家賣的充電器沒有商品安全標章，請你們查",
        "网络卖家卖的充电器没有商品安全标章，请你们查",
        "市場監督課",
    ),
    (
        "請問報驗的申請書送出後多久會派人取樣？",
        "请问报验的申请书送出后多久会派人取样？",
        "報驗發證課",
    ),
    (
        "嬰兒推車的煞車壞了，推車在斜坡上自己滑走",
        "婴儿推车的刹车坏了，推车在斜坡上自己滑走",
        "機械產品課",
    ),
    (
        "兒童玩具的油漆會不會含鉛？有沒有檢驗標準",
        "儿童玩具的油漆会不会含铅？有没有检验标准",
        "化工產品課",
    ),
    (
        "行動電源充電的時候發燙膨脹，這要符合哪個標準",
        "移动电源充电的时候发烫膨胀，这要符合哪个标准",
        "電資產品課",
    ),
    ("你們櫃台的人員態度很不好，講話很兇", "你们柜台的人员态度很不好，讲话很凶", "秘書室"),
]


@pytest.mark.parametrize(("traditional", "simplified", "unit"), TWINS)
def test_simplified_chinese_routes_like_its_traditional_twin(router, traditional, simplified, unit):
    assert router.route(traditional).unit == unit
    assert router.route(simplified).unit == unit


# The routing rule: a product on sale without the mark goes to market surveillance whatever the
# product; a question on how the same product is inspected goes to the section owning it.
PRODUCT_PAIRS = [
    ("吹風機", "電資產品課"),
    ("兒童滑板車", "機械產品課"),
    ("機車安全帽", "化工產品課"),
]


@pytest.mark.parametrize(("product", "section"), PRODUCT_PAIRS)
def test_a_product_on_sale_without_the_mark_goes_to_market_surveillance(router, product, section):
    on_sale = f"我家附近的商店在賣{product}，上面完全沒有商品安全標章，也沒有中文標示，請派人去查"
    technical = f"請問{product}進口時要依照哪一個國家標準檢驗？測試項目有哪些？"
    assert router.route(on_sale).unit == "市場監督課"
    assert router.route(technical).unit == section


def test_a_complaint_about_the_handling_of_an_earlier_case_goes_to_the_secretariat(router):
    text = "我上個月檢舉網拍賣沒有標章的充電器，你們回覆說已處理就結案了，我要投訴你們處理得很敷衍"
    assert router.route(text).unit == "秘書室"


def test_routing_gives_ranked_probabilities_and_the_model_version(router, trained_models):
    routing = router.route("加油站的油槍好像有問題，加了四十公升但油箱根本裝不下")
    assert routing.unit == "計量課" and routing.top[0] == ("計量課", routing.confidence)
    probabilities = [p for _, p in routing.top]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-3)
    assert {unit for unit, _ in routing.top} == set(corpus.UNITS)
    assert routing.model_version == current_version(trained_models).id
    assert not routing.needs_triage


def test_unsure_routings_need_triage(router):
    strict = Router(router.pipeline, router.model_version, triage_threshold=0.999999)
    assert strict.route("你好").needs_triage
    assert not router.route("計程車跳錶太快了，同樣的路線比平常多五十元").needs_triage


@pytest.mark.parametrize("odd", ["", "   ", None, 12345, "😡😡😡", "？？？！！！", "a" * 100_000])
def test_odd_input_never_raises(router, odd):
    routing = router.route(odd)
    assert routing.unit in corpus.UNITS
    if odd is None or (isinstance(odd, str) and not odd.strip()):
        assert routing.needs_triage


@pytest.mark.parametrize(
    "nothing_to_go_on",
    [
        "0912345678",
        "02-2422-3456",
        "(02)24223456 #123",
        "😡😡😡",
        "👍",
        "？？？！！！",
        "。。。",
        "https://shopee.tw/product/12345/67890",
        "www.example.com.tw/item?id=42",
        "someone@example.com",
        "https://shopee.tw/product/12345  0912-345-678",
        "안녕하세요",
    ],
)
def test_a_message_with_no_words_to_route_by_goes_to_triage(router, nothing_to_go_on):
    """A phone number, a link, emoji or punctuation alone says nothing about which section must
    act: the model's guess from digits and symbols must not route it without a person."""
    assert router.route(nothing_to_go_on).needs_triage


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("秤不準", "計量課"),
        ("計程車跳錶太快 0912345678", "計量課"),
        ("蝦皮有賣家賣沒有標章的充電器 https://shopee.tw/product/12345", "市場監督課"),
    ],
)
def test_a_short_message_with_words_is_still_routed(router, text, unit):
    routing = router.route(text)
    assert (routing.unit, routing.needs_triage) == (unit, False)


def test_explanation_names_the_ngrams_of_the_message_that_weighed_for_its_unit(router):
    text = "傳統市場的攤販秤不準，買一斤的豬肉回家秤只有十二兩"
    explanation = router.explain(text, n=5)
    assert 0 < len(explanation) <= 5
    weights = [w for _, w in explanation]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    assert all(ngram in normalize(text) for ngram, _ in explanation)
    assert any("秤" in ngram for ngram, _ in explanation)


@pytest.mark.parametrize(
    "text",
    [
        "我买的充电宝充电时发烫膨胀，这类商品要符合哪个CNS标准？",
        "公司买的无线鼠标和键盘，软件装不起来，这个有没有检验？",
        "我買的ＵＳＢ充電器插上去就冒煙，規格寫 5V ①",
        "我是王小明，電話0912345678，傳統市場攤販的秤不準，買一斤少了快兩兩",
        "加油站 02-2422-3456 的油槍加了四十公升，油箱根本裝不下",
        "我買的Anker PowerCore 20000充電時發燙，外殼都鼓起來了",
    ],
)
def test_explanation_shows_what_the_citizen_wrote_and_no_bare_numbers(router, text):
    """Staff read the explanation beside the message: every term must be found in it as
    written (not the converted Traditional or lower-case form), and a phone number's digits are
    no reason to route anywhere."""
    explanation = router.explain(text)
    assert explanation
    for term, _ in explanation:
        assert term in text
        assert any(c.isalpha() for c in term), term
        latin = re.escape(term)  # a Latin term is a whole word, not "w" or "Po" of PowerCore
        assert not term.isascii() or re.search(rf"(?<![A-Za-z]){latin}(?![A-Za-z])", text)


def test_one_router_serves_many_threads(router):
    texts = [e.text for e in corpus.split(corpus.shipped_corpus(), "heldout")][:60]
    expected = [router.route(t) for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(router.route, texts)) == expected


def test_the_router_computes_the_same_features_and_probabilities_as_the_pipeline(router):
    features = router.pipeline.named_steps["features"]
    texts = [e.text for e in corpus.split(corpus.shipped_corpus(), "heldout")][:40]
    texts += ["", "ＵＳＢ充電器 USB 充电器", "a" * 500]
    for text in texts:
        cleaned = normalize(text)
        indices, values = features.terms(cleaned)
        expected = features.transform([cleaned]).toarray()[0]
        row = np.zeros_like(expected)
        row[indices] = values
        assert row == pytest.approx(expected)
    batch = router.pipeline.predict_proba([normalize(t) for t in texts])
    for text, probabilities in zip(texts, batch, strict=True):
        routed = dict(router.route(text).top)
        for unit, p in zip(router.pipeline.classes_, probabilities, strict=True):
            assert routed[unit] == pytest.approx(p, abs=1e-4)
