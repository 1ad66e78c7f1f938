"""Store images -> TikTok image URIs, each uploaded once per shop (by URL, then by content)."""

from __future__ import annotations

import hashlib
import mimetypes

import httpx

from shopbridge.connections.models import ShopConnection
from shopbridge.core.errors import FieldError, RetryableError
from shopbridge.core.http import build_client

from .models import TikTokImage

MAX_IMAGE_BYTES = 10 * 1024 * 1024  # TikTok: images up to 10 MB (§8.6)


def _fetch(url: str) -> tuple[bytes, str]:
    from shopbridge.sync.clients import transport_for

    with build_client(transport=transport_for(url), timeout=20.0) as http:
        response = http.get(url, follow_redirects=True)
    if response.status_code >= 500:
        raise RetryableError(f"image host answered {response.status_code} for {url}")
    response.raise_for_status()
    if len(response.content) > MAX_IMAGE_BYTES:
        raise ValueError(f"image is {len(response.content) // 1024} KB; TikTok accepts up to 10 MB")
    mime = (
        response.headers.get("content-type", "").split(";")[0] or mimetypes.guess_type(url)[0] or "image/jpeg"
    )
    return response.content, mime


def upload_images(
    shop: ShopConnection, client, urls: list[str], *, use_case: str = "MAIN_IMAGE"
) -> tuple[dict[str, str], list[FieldError]]:
    """Returns (url -> uri for every image now on TikTok, errors for images that could not be)."""
    uris: dict[str, str] = {}
    errors: list[FieldError] = []
    known = {
        i.source_url: i.uri
        for i in TikTokImage.objects.filter(shop=shop, use_case=use_case, source_url__in=urls)
    }
    for position, url in enumerate(urls):
        if url in known:
            uris[url] = known[url]
            continue
        try:
            content, mime = _fetch(url)
        except (httpx.HTTPError, ValueError) as exc:
            errors.append(
                FieldError(
                    field=f"main_images[{position}]",
                    code="image_unreachable",
                    reason=f"ShopBridge could not download the image {url}: {exc}",
                    fix="Check that the image is public in the store (or replace it), then sync again.",
                )
            )
            continue
        digest = hashlib.sha256(content).hexdigest()
        same = TikTokImage.objects.filter(shop=shop, use_case=use_case, content_sha256=digest).first()
        if same:
            uri, tiktok_url = same.uri, same.url
        else:
            uploaded = client.products.upload_image(
                content,
                use_case=use_case,
                filename=url.rsplit("/", 1)[-1][:100] or "image.jpg",
                mime_type=mime,
            )
            uri, tiktok_url = uploaded.uri, getattr(uploaded, "url", "") or ""
        TikTokImage.objects.update_or_create(
            shop=shop,
            source_url=url,
            use_case=use_case,
            defaults={"content_sha256": digest, "uri": uri, "url": tiktok_url},
        )
        uris[url] = uri
    return uris, errors
