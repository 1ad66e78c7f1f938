"""A rich store description reaches TikTok as the HTML subset TikTok displays, with no visible text lost
(../shared/spec/tiktok-shop-api.md §8.8 description)."""

import re
from html.parser import HTMLParser

from shopbridge.catalog.models import Product
from shopbridge.listings.models import Listing, ListingStatus
from shopbridge.listings.services import listing_preview, listing_sync_request, mapping_set
from shopbridge.sync.clients import tiktok_client

MUGS = "600042"  # Kitchenware>Drinkware>Mugs
TIKTOK_TAGS = {"p", "br", "ul", "li", "img", "strong", "em", "u"}

STORE_BODY = """
<style>.spec td { color: red }</style>
<h2>Why campers love it</h2>
<div class="intro">Enamelled <b>steel</b> with a <a href="/pages/care">rolled rim</a>.<br>Dishwasher safe.</div>
<ol>
  <li>Boil water</li>
  <li>Pour slowly
    <ol><li>Wait four minutes</li></ol>
  </li>
</ol>
<table class="spec">
  <thead><tr><th>Size</th><th>Capacity</th><th>Weight</th></tr></thead>
  <tbody><tr><td>Small</td><td>350 ml</td><td>180 g</td></tr>
         <tr><td>Large</td><td>500 ml</td><td>240 g</td></tr></tbody>
</table>
<script>window.track("mug-viewed")</script>
<iframe src="https://video.example/embed/1"></iframe>
<p style="font-size:18px">Made in <span style="color:teal">Portugal</span>.</p>
"""


class _Text(HTMLParser):
    """Visible words and the tags used, as a browser would show them (no script/style content)."""

    def __init__(self):
        super().__init__()
        self.words: list[str] = []
        self.tags: set[str] = set()
        self.text = ""
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.words += re.findall(r"\w+", data)
            self.text += data


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def test_tables_lists_and_scripts_become_tiktoks_subset_without_losing_text(
    channel, shopify_driver, tiktok, run_jobs
):
    mug = Product.objects.get(store=channel.store, title="Enamel Camp Mug")
    shopify_driver.control("products/update", {"id": int(mug.external_id), "body_html": STORE_BODY})
    shopify_driver.flush_webhooks()
    run_jobs()
    mug.refresh_from_db()
    assert mug.description_html.strip() == STORE_BODY.strip()
    mapping_set(channel=channel, products=[mug], category_id=MUGS)

    notes = listing_preview(Listing.objects.get(channel=channel, product=mug))["notes"]
    listing_sync_request(channel=channel, products=[mug])
    run_jobs()

    listing = Listing.objects.get(channel=channel, product=mug)
    assert listing.status == ListingStatus.UNDER_REVIEW, listing.field_errors
    on_tiktok = tiktok_client(channel.shop).products.get(listing.tiktok_product_id).description
    sent, store = _parse(on_tiktok), _parse(STORE_BODY)
    assert sent.tags <= TIKTOK_TAGS and "table" not in sent.tags and "ol" not in sent.tags
    assert "track" not in on_tiktok and "font-size" not in on_tiktok and "iframe" not in on_tiktok
    assert [w for w in store.words if w not in sent.words] == [], "every visible word reaches TikTok"
    assert "1. Boil water" in sent.text and "2. Pour slowly" in sent.text, "ordered lists keep their numbers"
    assert "<strong>Why campers love it</strong>" in on_tiktok, "headings become bold paragraphs"
    assert notes, "each conversion is explained in the preview"
