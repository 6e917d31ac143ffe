"""Product-safety feed files (`feeds/*.xml`): recalls as RSS 2.0, safety news as Atom 1.0.

Items are spread over the year, newest first, with stable guids/ids and links, as the
feeds of the Bureau and of consumer-protection sites look.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from email.utils import format_datetime
from xml.sax.saxutils import escape

from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.vocab import FIRM_PREFIXES

TAIPEI = dt.timezone(dt.timedelta(hours=8))
RECALL_FEED = "bsmi_recalls.xml"
NEWS_FEED = "product_safety_news.xml"
RECALL_ITEMS = 36
NEWS_ITEMS = 24

RECALLS = (
    ("行動電源", "電芯過熱有起火之虞", "電機電子"),
    ("吹風機", "電源線絕緣不良", "電機電子"),
    ("除濕機", "壓縮機電容異常可能冒煙", "電機電子"),
    ("延長線", "插座溫升過高", "電機電子"),
    ("電暖器", "傾倒斷電開關失效", "電機電子"),
    ("兒童自行車", "煞車線固定座斷裂", "機械"),
    ("嬰兒推車", "折疊鎖定機構可能意外收合", "機械"),
    ("汽車兒童安全座椅", "安全帶扣具強度不足", "機械"),
    ("機車安全帽", "頤帶扣環強度不足", "化工"),
    ("玩具", "小零件脫落有誤吞之虞", "化工"),
    ("童裝", "帽繩過長有勒頸風險", "化工"),
    ("LED燈泡", "燈頭絕緣不良有觸電之虞", "電機電子"),
)
NEWS = (
    "夏季用電高峰，選購電風扇認明商品安全標章",
    "標準局提醒：網購充電器請確認檢驗標識",
    "年終採購家電，標準局籲消費者注意商品標示",
    "開學季文具抽測結果出爐，部分彩色筆標示不符",
    "中秋烤肉季，瓦斯器具安全使用須知",
    "市售兒童玩具抽測，塑化劑超量產品已下架",
    "冬季電暖器選購與使用五大重點",
    "機車安全帽市場購樣檢測結果公布",
)


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str
    published: dt.datetime
    summary: str
    category: str


def _dates(rng: random.Random, year: int, count: int) -> list[dt.datetime]:
    start = dt.datetime(year, 1, 3, 9, 0, tzinfo=TAIPEI)
    span = (dt.datetime(year, 12, 28, 17, 0, tzinfo=TAIPEI) - start).total_seconds()
    return sorted(
        (start + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(count)), reverse=True
    )


def recall_items(ctx: SampleContext) -> list[FeedItem]:
    rng = ctx.rng("feed-recalls")
    items = []
    for number, when in enumerate(_dates(rng, ctx.calendar.year, RECALL_ITEMS), 1):
        product, hazard, category = rng.choice(RECALLS)
        brand = rng.choice(FIRM_PREFIXES)
        item_id = 100_000 + ctx.roc_year * 1000 + number
        items.append(
            FeedItem(
                title=f"{brand}牌{product}召回",
                link=f"https://www.bsmi.gov.tw/wSite/ct?xItem={item_id}&ctNode=2240",
                guid=f"bsmi-recall-{ctx.roc_year}-{number:03d}",
                published=when.replace(microsecond=0),
                summary=f"{brand}牌{product}因{hazard}，業者主動召回，請消費者立即停止使用並洽原購買處辦理退換。",
                category=category,
            )
        )
    return items


def news_items(ctx: SampleContext) -> list[FeedItem]:
    rng = ctx.rng("feed-news")
    items = []
    for number, when in enumerate(_dates(rng, ctx.calendar.year, NEWS_ITEMS), 1):
        title = rng.choice(NEWS)
        items.append(
            FeedItem(
                title=title,
                link=f"https://www.cpc.ey.gov.tw/Page/A1A2E5B4C2C0E5D1/{ctx.roc_year}{number:04d}",
                guid=f"tag:cpc.ey.gov.tw,{ctx.calendar.year}:news-{number:04d}",
                published=when.replace(microsecond=0),
                summary=f"{title}。消費者購買時應注意商品安全標章及中文標示，如有疑義可洽標準檢驗局各分局。",
                category="商品安全",
            )
        )
    return items


def write_feeds(ctx: SampleContext) -> list[WrittenFile]:
    folder = ctx.inbox / "feeds"
    folder.mkdir(parents=True, exist_ok=True)
    recalls, news = recall_items(ctx), news_items(ctx)
    rss_path, atom_path = folder / RECALL_FEED, folder / NEWS_FEED
    rss_path.write_text(_rss(recalls), encoding="utf-8")
    atom_path.write_text(_atom(news, ctx.calendar.year), encoding="utf-8")
    return [WrittenFile(rss_path, len(recalls), 0), WrittenFile(atom_path, len(news), 0)]


def _rss(items: list[FeedItem]) -> str:
    entries = "".join(
        f"""    <item>
      <title>{escape(i.title)}</title>
      <link>{escape(i.link)}</link>
      <guid isPermaLink="false">{escape(i.guid)}</guid>
      <pubDate>{format_datetime(i.published)}</pubDate>
      <category>{escape(i.category)}</category>
      <description>{escape(i.summary)}</description>
    </item>
"""
        for i in items
    )
    built = format_datetime(items[0].published) if items else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>經濟部標準檢驗局 商品召回訊息</title>
    <link>https://www.bsmi.gov.tw/</link>
    <description>商品安全資訊網：商品召回及安全警訊</description>
    <language>zh-TW</language>
    <lastBuildDate>{built}</lastBuildDate>
{entries}  </channel>
</rss>
"""


def _atom(items: list[FeedItem], year: int) -> str:
    entries = "".join(
        f"""  <entry>
    <title>{escape(i.title)}</title>
    <link rel="alternate" href="{escape(i.link)}"/>
    <id>{escape(i.guid)}</id>
    <published>{i.published.isoformat()}</published>
    <updated>{i.published.isoformat()}</updated>
    <category term="{escape(i.category)}"/>
    <summary>{escape(i.summary)}</summary>
  </entry>
"""
        for i in items
    )
    updated = items[0].published.isoformat() if items else f"{year}-12-31T00:00:00+08:00"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-TW">
  <title>行政院消費者保護處 商品安全新聞</title>
  <link rel="self" href="https://www.cpc.ey.gov.tw/feeds/product-safety.atom"/>
  <id>tag:cpc.ey.gov.tw,{year}:product-safety</id>
  <updated>{updated}</updated>
  <author><name>行政院消費者保護處</name></author>
{entries}</feed>
"""
