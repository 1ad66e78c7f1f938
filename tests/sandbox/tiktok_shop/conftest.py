"""Fixtures for the TikTok Shop emulator tests: an in-process emulator on a frozen clock and a signing client."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tiktok_emulator_helpers import BASE_URL, FROZEN_AT, TikTokClient, png_bytes

from shopbridge_sandbox.kit.clock import Clock
from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator, manifest_entry


@pytest.fixture
def emulator() -> TikTokShopEmulator:
    return TikTokShopEmulator(seed=0, clock=Clock(frozen_at=FROZEN_AT))


@pytest.fixture
def manifest(emulator: TikTokShopEmulator) -> dict[str, Any]:
    return manifest_entry(emulator, BASE_URL)


@pytest.fixture
def client(emulator: TikTokShopEmulator, manifest: dict[str, Any]) -> TikTokClient:
    return TikTokClient(
        emulator, manifest["app_key"], manifest["app_secret"], manifest["shops"][0]["access_token"]
    )


@pytest.fixture
def gb(manifest: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in manifest["shops"] if s["region"] == "GB")


@pytest.fixture
def us(manifest: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in manifest["shops"] if s["region"] == "US")


@pytest.fixture
def upload_image(client: TikTokClient) -> Callable[..., str]:
    counter = iter(range(1, 10_000))

    def upload(width: int = 800, height: int = 800, use_case: str = "MAIN_IMAGE") -> str:
        data = client.ok(
            "POST",
            "/product/202309/images/upload",
            files={"data": ("image.png", io.BytesIO(png_bytes(width, height, next(counter))), "image/png")},
            data={"use_case": use_case},
        )
        return data["uri"]

    return upload


GB_LEAF = "601226"  # Womenswear & Underwear > Women's Tops > T-shirts (UK category list)


@pytest.fixture
def product_body(
    client: TikTokClient, gb: dict[str, Any], upload_image: Callable[..., str]
) -> Callable[..., dict[str, Any]]:
    """A valid GB Create Product body; keyword overrides replace top-level fields."""
    warehouse = client.ok("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"])["warehouses"][
        0
    ]["id"]
    image = upload_image()

    def build(**overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "title": "Organic Cotton Crew Neck T-shirt for Women",
            "description": "<p>Soft organic cotton tee.</p><ul><li>Regular fit</li><li>Machine washable</li></ul>",
            "category_id": GB_LEAF,
            "main_images": [{"uri": image}],
            "skus": [
                {
                    "seller_sku": "TEE-BLK-S",
                    "sales_attributes": [
                        {"name": "Colour", "value_name": "Black"},
                        {"name": "Size", "value_name": "S"},
                    ],
                    "price": {"amount": "19.99", "currency": "GBP"},
                    "inventory": [{"warehouse_id": warehouse, "quantity": 10}],
                },
                {
                    "seller_sku": "TEE-BLK-M",
                    "sales_attributes": [
                        {"name": "Colour", "value_name": "Black"},
                        {"name": "Size", "value_name": "M"},
                    ],
                    "price": {"amount": "19.99", "currency": "GBP"},
                    "inventory": [{"warehouse_id": warehouse, "quantity": 5}],
                },
            ],
            "package_weight": {"value": "0.25", "unit": "KILOGRAM"},
            "package_dimensions": {"length": "30", "width": "20", "height": "3", "unit": "CENTIMETER"},
            "product_attributes": [{"id": "100157", "values": [{"id": "1000039", "name": "Cotton"}]}],
            # This leaf requires a size chart (category rules).
            "size_chart": {"image": {"uri": image}},
        }
        body.update(overrides)
        return body

    build.warehouse_id = warehouse  # type: ignore[attr-defined]
    return build


@pytest.fixture
def received() -> list[httpx.Request]:
    return []


@pytest.fixture
def webhook_receiver(emulator: TikTokShopEmulator, received: list[httpx.Request]) -> Callable[[int], None]:
    """Route the emulator's webhook deliveries to an in-memory receiver answering ``status``."""
    state = {"status": 200}

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        received.append(request)
        return httpx.Response(state["status"])

    emulator.webhooks.set_transport(httpx.MockTransport(handler))

    def set_status(status: int) -> None:
        state["status"] = status

    return set_status
