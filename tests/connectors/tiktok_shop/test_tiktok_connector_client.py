"""The wire protocol: common parameters, shop_cipher placement, token header, gate, bodies, paging."""

from __future__ import annotations

import httpx
import pytest

from connectors.tiktok_shop.tiktok_connector_support import (
    ACCESS_TOKEN,
    APP_KEY,
    APP_SECRET,
    NOW,
    SHOP_CIPHER,
    SHOP_ID,
    Recorder,
    RecordingGate,
    make_client,
)
from shopbridge.connectors.tiktok_shop.adapter import image_cache_key
from shopbridge.connectors.tiktok_shop.models import (
    CancelOrderRequest,
    InventoryEntry,
    SkuInventoryUpdate,
    UpdateInventoryRequest,
)
from shopbridge.connectors.tiktok_shop.signing import sign
from shopbridge.core.errors import TerminalError


def _unsigned(query: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in query.items() if k != "sign"}


def test_shop_scoped_get_carries_common_params_cipher_and_token_header():
    recorder = Recorder().reply({"warehouses": []})
    client = make_client(recorder)

    assert client.logistics.warehouses() == []

    sent = recorder.sent[0]
    assert sent.method == "GET"
    assert sent.path == "/logistics/202309/warehouses"
    assert _unsigned(sent.query) == {"app_key": APP_KEY, "timestamp": str(NOW), "shop_cipher": SHOP_CIPHER}
    assert sent.query["sign"] == sign(APP_SECRET, sent.path, _unsigned(sent.query), b"")
    assert sent.headers["x-tts-access-token"] == ACCESS_TOKEN
    assert sent.headers["content-type"] == "application/json"
    assert "access_token" not in sent.query
    assert sent.body == b""


def test_authorized_shops_takes_no_shop_cipher():
    recorder = Recorder().reply(
        {
            "shops": [
                {
                    "id": "7000714532876273420",
                    "name": "Maomao",
                    "region": "GB",
                    "seller_type": "LOCAL",
                    "cipher": "GCP_x",
                    "code": "CN1",
                }
            ]
        }
    )
    client = make_client(recorder)

    shops = client.auth.authorized_shops()

    assert [(s.id, s.cipher, s.region) for s in shops] == [("7000714532876273420", "GCP_x", "GB")]
    assert "shop_cipher" not in recorder.sent[0].query
    assert recorder.sent[0].path == "/authorization/202309/shops"


def test_missing_shop_cipher_fails_before_any_request():
    recorder = Recorder()
    client = make_client(recorder, shop_cipher=None)

    with pytest.raises(TerminalError) as caught:
        client.logistics.warehouses()

    assert caught.value.code == "shop_cipher_missing"
    assert recorder.sent == []


def test_gate_is_acquired_with_shop_and_path_template_before_each_request():
    recorder = Recorder().reply({"errors": []}).reply({})
    gate = RecordingGate()
    gate.events = recorder.events  # one timeline for both
    client = make_client(recorder, gate=gate)
    request = UpdateInventoryRequest(
        skus=[
            SkuInventoryUpdate(
                id="1729592969712207013", inventory=[InventoryEntry(warehouse_id="7068", quantity=5)]
            )
        ]
    )

    client.products.update_inventory("1729382561353664372", request)
    client.fulfillment.tracking("576461413038785752")

    assert recorder.events == [
        f"acquire tiktok:{SHOP_ID}:/product/202309/products/{{product_id}}/inventory/update",
        "send POST /product/202309/products/1729382561353664372/inventory/update",
        f"acquire tiktok:{SHOP_ID}:/fulfillment/202309/orders/{{order_id}}/tracking",
        "send GET /fulfillment/202309/orders/576461413038785752/tracking",
    ]


def test_gate_key_falls_back_to_app_key_without_shop_id():
    recorder = Recorder().reply({"shops": []})
    gate = RecordingGate()
    client = make_client(recorder, gate=gate, shop_id=None)

    client.auth.authorized_shops()

    assert gate.events == [f"acquire tiktok:{APP_KEY}:/authorization/202309/shops"]


def test_json_body_is_compact_and_omits_none_fields():
    recorder = Recorder().reply(
        {"cancel_id": "4035319218955782461", "cancel_status": "CANCELLATION_REQUEST_SUCCESS"}
    )
    client = make_client(recorder)

    result = client.returns.cancel_order(
        CancelOrderRequest(order_id="577087614418520388", cancel_reason="seller_cancel_reason_out_of_stock")
    )

    assert result.cancel_id == "4035319218955782461"
    sent = recorder.sent[0]
    assert sent.path == "/return_refund/202602/cancellations"
    assert (
        sent.body == b'{"order_id":"577087614418520388","cancel_reason":"seller_cancel_reason_out_of_stock"}'
    )
    assert sent.query["sign"] == sign(APP_SECRET, sent.path, _unsigned(sent.query), sent.body)


def test_delete_products_sends_a_json_body_with_delete():
    recorder = Recorder().reply({"errors": []})
    client = make_client(recorder)

    result = client.products.delete(["1749456684124612452"])

    assert result.ok
    assert recorder.sent[0].method == "DELETE"
    assert recorder.sent[0].json() == {"product_ids": ["1749456684124612452"]}


def test_batch_endpoints_split_into_twenty_ids_and_merge_errors():
    ids = [str(1729000000000000000 + i) for i in range(25)]
    recorder = (
        Recorder()
        .reply({"errors": []})
        .reply(
            {
                "errors": [
                    {
                        "code": 12052048,
                        "message": "You can't edit other sellers' products",
                        "detail": {"product_id": ids[24]},
                    }
                ]
            }
        )
    )
    client = make_client(recorder)

    result = client.products.deactivate(ids)

    assert [len(s.json()["product_ids"]) for s in recorder.sent] == [20, 5]
    assert result.failed_ids() == [ids[24]]
    assert not result.ok


def test_image_upload_is_multipart_unsigned_body_no_cipher_and_deduplicated():
    recorder = Recorder().reply(
        {
            "uri": "tos-maliva-i-o3syd03w52-us/c668",
            "url": "https://p16/x",
            "height": 720,
            "width": 720,
            "use_case": "MAIN_IMAGE",
        }
    )
    client = make_client(recorder)
    cache: dict = {}
    content = b"\x89PNG fake image bytes"

    first = client.products.upload_image(content, cache=cache, filename="a.png", mime_type="image/png")
    second = client.products.upload_image(content, cache=cache)

    assert first == second
    assert first.uri == "tos-maliva-i-o3syd03w52-us/c668"
    assert list(cache) == [image_cache_key(content, "MAIN_IMAGE")]
    assert len(recorder.sent) == 1  # the second call never reached TikTok
    sent = recorder.sent[0]
    assert sent.path == "/product/202309/images/upload"
    assert "shop_cipher" not in sent.query
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="data"; filename="a.png"' in sent.body
    assert b'name="use_case"' in sent.body and b"MAIN_IMAGE" in sent.body
    assert content in sent.body
    assert sent.query["sign"] == sign(APP_SECRET, sent.path, _unsigned(sent.query), b"")


def test_same_bytes_for_another_use_case_is_uploaded_again():
    recorder = Recorder().reply({"uri": "a"}).reply({"uri": "b"})
    client = make_client(recorder)
    cache: dict = {}

    client.products.upload_image(b"img", cache=cache)
    client.products.upload_image(b"img", cache=cache, use_case="DESCRIPTION_IMAGE")

    assert len(recorder.sent) == 2


def test_search_iterates_pages_until_empty_token():
    recorder = Recorder()
    recorder.reply(
        {"products": [{"id": "1", "status": "ACTIVATE"}], "next_page_token": "b2Zmc2V0PTEK", "total_count": 2}
    )
    recorder.reply({"products": [{"id": "2", "status": "PENDING"}], "next_page_token": "", "total_count": 2})
    client = make_client(recorder)

    products = list(client.products.search(page_size=1))

    assert [(p.id, p.status) for p in products] == [("1", "ACTIVATE"), ("2", "PENDING")]
    assert [s.query.get("page_token") for s in recorder.sent] == [None, "b2Zmc2V0PTEK"]
    assert all(s.query["page_size"] == "1" for s in recorder.sent)
    assert recorder.sent[0].path == "/product/202502/products/search"
    assert recorder.sent[0].body == b"{}"


def test_paging_stops_when_the_server_repeats_a_token():
    recorder = Recorder()
    recorder.reply({"orders": [{"id": "1", "status": "UNPAID"}], "next_page_token": "same"})
    recorder.reply({"orders": [{"id": "2", "status": "UNPAID"}], "next_page_token": "same"})
    client = make_client(recorder)

    orders = list(client.orders.search_updated(1_690_000_000))

    assert [o.id for o in orders] == ["1", "2"]
    assert len(recorder.sent) == 2
    assert recorder.sent[0].query["sort_field"] == "update_time"
    assert recorder.sent[0].query["sort_order"] == "ASC"
    assert recorder.sent[0].json() == {"update_time_ge": 1690000000}


def test_order_detail_chunks_ids_by_fifty():
    ids = [str(576461413038785000 + i) for i in range(51)]
    recorder = Recorder().reply({"orders": []}).reply({"orders": []})
    client = make_client(recorder)

    client.orders.get(ids)

    assert recorder.sent[0].path == "/order/202507/orders"
    assert recorder.sent[0].query["ids"] == ",".join(ids[:50])
    assert recorder.sent[1].query["ids"] == ids[50]


def test_query_booleans_are_lowercase_and_none_omitted():
    recorder = Recorder().reply({"categories": []})
    client = make_client(recorder)

    client.products.categories(locale="en-GB", include_prohibited_categories=False)

    assert _unsigned(recorder.sent[0].query) == {
        "app_key": APP_KEY,
        "timestamp": str(NOW),
        "shop_cipher": SHOP_CIPHER,
        "locale": "en-GB",
        "include_prohibited_categories": "false",
    }


def test_client_repr_hides_secret_and_token():
    client = make_client(Recorder())

    assert APP_SECRET not in repr(client)
    assert ACCESS_TOKEN not in repr(client)


def test_caller_supplied_http_client_is_used_and_not_closed():
    recorder = Recorder().reply({"warehouses": []})
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    client = make_client(recorder, transport=None, http=http)

    client.logistics.warehouses()
    client.close()

    assert len(recorder.sent) == 1
    assert not http.is_closed
    http.close()


def test_timestamp_is_taken_after_the_gate_wait():
    now = [NOW]

    class SlowGate(RecordingGate):
        def acquire(self, key: str, weight: int = 1) -> None:
            now[0] += 120  # the budget made us wait two minutes

    recorder = Recorder().reply({"warehouses": []})
    client = make_client(recorder, gate=SlowGate(), clock=lambda: now[0])

    client.logistics.warehouses()

    sent = recorder.sent[0]
    assert sent.query["timestamp"] == str(NOW + 120)
    assert sent.query["sign"] == sign(APP_SECRET, sent.path, _unsigned(sent.query), b"")
