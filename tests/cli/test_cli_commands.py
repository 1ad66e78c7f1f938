"""``shopbridge`` merchant commands: each happy path, and each failure with a clear message on
stderr and a non-zero exit code (1 failed, 2 usage, 3 not found)."""

from __future__ import annotations

import csv
import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(cli, sandbox_manifest, run_jobs):
    """The sandbox connected with `connect sandbox` and its catalogue imported."""
    path, _ = sandbox_manifest
    code, out, err = cli("connect", "sandbox", "--manifest", str(path))
    assert code == 0, err
    run_jobs()
    from shopbridge.connections.models import Channel

    return Channel.objects.get(shop__region="US")


def test_connect_sandbox_connects_the_store_the_shops_and_their_channels(cli, sandbox_manifest):
    from shopbridge.connections.models import Channel, ShopConnection, StoreConnection

    code, out, err = cli("connect", "sandbox", "--manifest", str(sandbox_manifest[0]))

    assert code == 0, err
    assert "catalogue import started" in out
    assert StoreConnection.objects.get().status == "active"
    assert sorted(ShopConnection.objects.values_list("region", flat=True)) == ["GB", "US"]
    assert Channel.objects.count() == 2


def test_connect_sandbox_with_a_missing_manifest_fails_with_a_fix(cli, db, tmp_path):
    code, out, err = cli("connect", "sandbox", "--manifest", str(tmp_path / "nope.json"))

    assert code == 3
    assert "cannot read the manifest" in err and "fix: Start `shopbridge-sandbox" in err
    assert out == ""


def test_connect_store_then_import_with_progress_in_this_process(cli, merchant, sandbox_manifest):
    from shopbridge.catalog.models import Product

    entry = sandbox_manifest[1]["shopify"]
    code, out, err = cli(
        "--json",
        "connect",
        "store",
        "--platform",
        "shopify",
        "--base-url",
        entry["base_url"],
        "--external-id",
        entry["shop_domain"],
        "--access-token",
        entry["access_token"],
        "--api-secret",
        entry["api_secret"],
        "--no-import",
    )
    assert code == 0, err
    store_id = json.loads(out)["store_id"]
    assert Product.objects.count() == 0

    code, out, err = cli("--json", "import", str(store_id), "--run-here", "--timeout", "30")

    assert code == 0, err
    result = json.loads(out)
    assert result["state"] == "done" and result["products_seen"] == Product.objects.count() > 0


def test_connect_store_with_wrong_credentials_exits_1_with_the_reason(cli, merchant, sandbox_manifest):
    from shopbridge.connections.models import StoreConnection

    entry = sandbox_manifest[1]["shopify"]
    code, out, err = cli(
        "connect",
        "store",
        "--platform",
        "shopify",
        "--base-url",
        entry["base_url"],
        "--external-id",
        entry["shop_domain"],
        "--access-token",
        "shpat_wrong",
        "--api-secret",
        "x",
        "--no-import",
    )

    assert code == 1
    assert err.startswith("error: ") and "fix: " in err
    assert StoreConnection.objects.get().status == "error"


def test_connect_store_without_shopify_credentials_is_a_usage_error(cli, merchant):
    code, out, err = cli("connect", "store", "--platform", "shopify", "--base-url", "https://x.myshopify.com")

    assert code == 2
    assert "Shopify needs --external-id" in err


def test_import_of_another_merchants_store_is_not_found(cli, merchant, other_merchant, seeded):
    code, out, err = cli("--merchant", other_merchant.slug, "import", str(seeded.store_id), "--no-wait")

    assert code == 3
    assert f"store {seeded.store_id} not found" in err


def test_commands_need_a_merchant_when_there_are_several(cli, merchant, other_merchant):
    code, out, err = cli("status")

    assert code == 2
    assert "several merchants" in err and "--merchant" in err


def test_mapping_export_edit_import_round_trip(cli, seeded, tmp_path):
    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import CategoryMapping
    from shopbridge.listings.suggestions import suggest_for_product

    exported = tmp_path / "mapping.csv"
    code, _, err = cli("mapping", "export", str(exported), "--channel", str(seeded.pk))
    assert code == 0, err
    rows = list(csv.DictReader(exported.open()))
    assert len(rows) == Product.objects.filter(store=seeded.store, deleted_at__isnull=True).count()
    before = dict(
        CategoryMapping.objects.filter(channel=seeded).values_list("product_id", "tiktok_category_id")
    )
    assert {int(r["product_id"]): r["tiktok_category_id"] for r in rows if r["tiktok_category_id"]} == before
    product = Product.objects.get(pk=int(rows[0]["product_id"]))
    second_best = suggest_for_product(shop=seeded.shop, product=product)[1]["category_id"]
    rows[0]["tiktok_category_id"] = second_best
    rows[1]["tiktok_category_id"] = "999999999"  # not a TikTok category
    with exported.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:2])

    code, out, err = cli("mapping", "import", str(exported), "--channel", str(seeded.pk))

    assert code == 1
    assert "1 mapped, 1 failed" in out
    assert "line 3:" in err and "does not exist" in err
    after = dict(
        CategoryMapping.objects.filter(channel=seeded).values_list("product_id", "tiktok_category_id")
    )
    assert after == {**before, product.pk: second_best}


def test_sync_all_mapped_queues_the_mapped_products_and_an_unmapped_one_is_refused(cli, seeded):
    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import CategoryMapping
    from shopbridge.listings.services import mapping_remove
    from shopbridge.sync.models import SyncJob

    unmapped = Product.objects.filter(store=seeded.store).order_by("pk").first()
    mapping_remove(channel=seeded, product=unmapped)
    mapped = CategoryMapping.objects.filter(channel=seeded).count()

    code, out, err = cli("--json", "sync", "--channel", str(seeded.pk), "--all-mapped")
    assert code == 0, err
    assert len(json.loads(out)["queued"]) == mapped

    code, out, err = cli("sync", "--channel", str(seeded.pk), "--product", str(unmapped.pk))
    assert code == 1
    assert "has no TikTok category yet" in err
    from shopbridge.listings.models import Listing

    unmapped_keys = [
        f"listing:{pk}" for pk in Listing.objects.filter(product=unmapped).values_list("pk", flat=True)
    ]
    assert not SyncJob.objects.filter(kind="listing.push", state="pending", key__in=unmapped_keys).exists()


def test_status_reports_connections_listings_and_orders(cli, seeded):
    code, out, err = cli("--json", "status")

    assert code == 0, err
    data = json.loads(out)
    assert [s["status"] for s in data["stores"]] == ["active"]
    assert {s["region"] for s in data["shops"]} == {"US", "GB"}
    assert set(data["listings"]) >= {"not_synced", "active"} and set(data["orders"]) >= {"synced", "blocked"}


def test_orders_list_and_resync_blocked(cli, merchant, tenant_records_for_cli):
    from shopbridge.sync.models import SyncJob

    code, out, err = cli("orders", "list", "--state", "blocked")
    assert code == 0, err
    assert "blocked" in out and "SKU not linked" in out

    code, out, err = cli("--json", "orders", "resync-blocked")

    assert code == 0, err
    assert len(json.loads(out)["resynced"]) == 1
    assert SyncJob.objects.filter(kind="order.import", state="pending").count() == 1
