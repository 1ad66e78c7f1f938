from collections import Counter
from test_e2e_listings_samples_magento import *  # noqa
from test_e2e_listings_samples_magento import _size_chart_uri

def test_scratch(shared_data, tmp_path, unthrottled_store, empty_shopify, connect_store, us_shop, cdn, tiktok, sync_every_product, run_jobs):
    from shopbridge.connections.services import channel_create
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify.csv_import import import_csv
    magento_as_shopify_csv(shared_data / "magento2-sample-data/ConfigurableSampleData/products.csv", tmp_path / "luma.csv")
    cdn.serve(MEDIA.rsplit("/media", 1)[0])
    shop = empty_shopify.default_shop
    shop.bucket = LeakyBucket(size=100_000, leak_rate=100_000.0, clock=empty_shopify.clock)
    import_csv(shop, tmp_path / "luma.csv")
    store = connect_store("shopify", empty_shopify)
    channel = channel_create(merchant=store.merchant, store=store, shop=us_shop)
    channel.settings = {"defaults": {"product_attributes": {MATERIAL: ["Polyester"]},
                                     "size_chart_image_uri": _size_chart_uri(channel)}}
    channel.save()
    listings, unexplained = sync_every_product(channel)
    print(Counter(l.status for l in listings.values()))
    print(Counter(l.error_code for l in listings.values()))
    for j in SyncJob.objects.filter(state="failed")[:3]:
        print(j.last_error)
