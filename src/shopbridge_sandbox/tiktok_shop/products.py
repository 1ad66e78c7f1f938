"""Product API handlers (../shared/spec/tiktok-shop-api.md §8)."""

from __future__ import annotations

import copy
import hashlib
import re
import struct
import time
from typing import TYPE_CHECKING, Any

from . import render, seeds
from .pipeline import ApiError, Ctx, api
from .state import Image, Product, Shop
from .validation import Outcome, check_price, validate_product

if TYPE_CHECKING:
    from .app import TikTokShopEmulator

    _Base = TikTokShopEmulator
else:
    _Base = object

EDIT_VERSIONS = ("202309", "202509")  # §7: Edit / Partial Edit latest 202509, also 202309
SEARCH_VERSIONS = ("202309", "202312", "202502")  # §7: Search Products 202502, also 202312 and 202309
PREREQ_VERSIONS = ("202309", "202312")  # §7: 202312 documented; [PHP] calls 202309 (UNCONFIRMED)
BATCH_LIMIT = 20  # §8.13


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width/height of PNG, GIF or JPEG bytes; None when the format is not recognised."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return (800, 800)  # size parsing of WEBP is not implemented; accepted as 800x800
    return None


def first_error(outcome: Outcome) -> None:
    if outcome.problems:
        problem = outcome.problems[0]
        raise ApiError(problem.code, problem.message)


class ProductsMixin(_Base):
    # -- categories, attributes, rules, brands (§8.1-§8.5) ---------------------------------------
    @api("GET", "/product/{v}/categories", scope="Product Basic")
    def get_categories(self, ctx: Ctx) -> dict[str, Any]:
        region = seeds.REGIONS[ctx.shop_required.region]
        version = ctx.query.get("category_version") or "v1"
        if version != region.category_version:
            raise ApiError(12052217, "Incorrect category version. US shops use 'v2', other regions 'v1'.")
        keyword = ctx.query.get("keyword", "").lower()
        nodes = seeds.category_tree(region.category_tree).values()
        return {
            "categories": [
                {
                    "id": n.id,
                    "parent_id": n.parent_id,
                    "local_name": n.local_name,
                    "is_leaf": n.is_leaf,
                    "permission_statuses": list(n.permission_statuses),
                }
                for n in nodes
                if keyword in n.local_name.lower()
            ]
        }

    def _leaf(self, shop: Shop, category_id: str) -> seeds.CategoryNode:
        region = seeds.REGIONS[shop.region]
        node = seeds.category_tree(region.category_tree).get(category_id)
        if node is None:
            raise ApiError(12052023, "Category does not exist")
        if not node.is_leaf:
            raise ApiError(12052024, "Category is not final category")
        return node

    @api("GET", "/product/{v}/categories/<category_id>/attributes", scope="Product Basic")
    def get_attributes(self, ctx: Ctx, category_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        self._leaf(shop, category_id)
        root = seeds.category_chain(seeds.REGIONS[shop.region].category_tree, category_id)[0].id
        required = set(seeds.REQUIRED_ATTRIBUTE_ROOTS.get(root, ()))
        # The UK attribute definitions (../shared/data, 19 attributes) are served for every leaf and market:
        # per-category attribute lists are not available offline (data/README.md "gaps").
        return {
            "attributes": [
                {
                    "id": a["id"],
                    "name": a["name"],
                    "type": a["type"],
                    "is_requried": a["id"] in required,  # sic
                    "values": [dict(v, icon_url="") for v in a["values"]],
                    "value_data_format": "",
                    "is_customizable": a["is_customizable"],
                    "is_multiple_selection": a["is_multiple_selection"],
                    "requirement_conditions": [],
                }
                for a in seeds.gb_attributes()
            ]
        }

    @api("GET", "/product/{v}/categories/<category_id>/rules", scope="Product Basic")
    def get_category_rules(self, ctx: Ctx, category_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        self._leaf(shop, category_id)
        rules = seeds.category_rules(shop.region, category_id)
        region = seeds.REGIONS[shop.region]
        return {
            "product_certifications": [
                {
                    "id": c["id"],
                    "name": c["name"],
                    "is_required": c["is_required"],
                    "document_details": "",
                    "sample_image_url": "",
                    "requirement_conditions": [],
                    "expiration_date": {"is_required": False},
                }
                for c in rules["certifications"]
            ],
            "size_chart": {
                "is_supported": rules["size_chart_supported"],
                "is_required": rules["size_chart_required"],
            },
            "cod": {"is_supported": rules["cod_supported"] and region.cod_local},
            "package_dimension": {
                "is_required": rules["package_dimension_required"] or region.package_dimensions_required
            },
            "epr": {"is_required": rules["epr_required"]},
            "responsible_person": {"is_required": shop.region in ("DE", "FR", "IT", "ES", "IE")},
            "manufacturer": {"is_required": shop.region in ("DE", "FR", "IT", "ES", "IE")},
            "allowed_special_product_types": ["PRE_ORDER", "MADE_TO_ORDER", "CUSTOM"]
            if shop.region == "US"
            else ["PRE_ORDER"],
            "fees": [{"type": "PFAND", "is_required": False}] if shop.region == "DE" else [],
        }

    @api("GET", "/product/{v}/brands", scope="Product Basic")
    def get_brands(self, ctx: Ctx) -> dict[str, Any]:
        size = ctx.query.get("page_size", "")
        if not size.isdigit() or not 1 <= int(size) <= 100:
            raise ApiError(12019109, "page_size is required and must be 1-100.")
        offset = render.read_page_token(ctx.query.get("page_token", ""))
        if offset is None:
            raise ApiError(12019108, "Invalid page_token.")
        prefix = ctx.query.get("brand_name", "").lower()
        only_authorized = ctx.query.get("is_authorized") == "1"
        brands = [
            b
            for b in self.world.brands.values()
            if b["name"].lower().startswith(prefix)
            and (b["seller_id"] in (None, ctx.auth.seller_id))
            and (not only_authorized or b["authorized_status"] == "AUTHORIZED")
        ]
        page = brands[offset : offset + int(size)]
        with_status = bool(ctx.query.get("category_id"))
        return {
            "brands": [
                {
                    "id": b["id"],
                    "name": b["name"],
                    "authorized_status": b["authorized_status"],
                    "is_t1_brand": b["is_t1_brand"],
                    **({"brand_status": "AVAILABLE"} if with_status else {}),
                }
                for b in page
            ],
            "total_count": len(brands),
            "next_page_token": render.page_token(offset + len(page), len(brands)),
        }

    @api("POST", "/product/{v}/brands", cipher=False, scope="Product Basic")
    def create_custom_brands(self, ctx: Ctx) -> dict[str, Any]:
        name = ctx.body().get("name")
        # §8.4 Create Custom Brands rules.
        if not isinstance(name, str) or len(name.strip()) < 2:
            raise ApiError(12052189, "The brand name must be at least 2 characters.")
        if len(name) > 30:
            raise ApiError(12052190, "The brand name cannot exceed 30 characters.")
        if re.search(r"[\u4e00-\u9fff]", name) or re.search(r"[\U0001F300-\U0001FAFF]", name):
            raise ApiError(12052191, "The brand name contains unsupported characters.")
        if re.search(r"\d{5,}", name):
            raise ApiError(12052192, "The brand name cannot contain 5 or more consecutive digits.")
        mine = [b for b in self.world.brands.values() if b["seller_id"] == ctx.auth.seller_id]
        if any(b["name"].lower() == name.lower() for b in self.world.brands.values()):
            raise ApiError(12052205, "The brand already exists.")
        day = time.strftime("%Y-%m-%d", time.gmtime(self.clock.now()))
        today = sum(1 for b in mine if b.get("day") == day)
        if today >= 50:
            raise ApiError(12052202, "Daily limit of 50 custom brands reached.")
        if len(mine) >= 1000:
            raise ApiError(12052203, "Total limit of 1,000 custom brands reached.")
        brand_id = self.world.ids.next("brand")
        self.world.brands[brand_id] = {
            "id": brand_id,
            "name": name,
            "authorized_status": "UNAUTHORIEZD",
            "is_t1_brand": False,
            "seller_id": ctx.auth.seller_id,
            "day": day,
        }
        return {"id": brand_id}

    @api("POST", "/product/{v}/categories/recommend", scope="Product Basic")
    def recommend_category(self, ctx: Ctx) -> dict[str, Any]:
        body = ctx.body()
        title = body.get("product_title")
        if not isinstance(title, str) or not title.strip():
            raise ApiError(12052261, "product name is empty")
        shop = ctx.shop_required
        region = seeds.REGIONS[shop.region]
        best = _score_categories(region.category_tree, f"{title} {body.get('description') or ''}")
        if best is None:
            raise ApiError(12019064, "No matching category was found for this product.")
        chain = seeds.category_chain(region.category_tree, best)
        return {
            "leaf_category_id": best,
            "categories": [
                {
                    "id": n.id,
                    "name": n.local_name,
                    "level": i + 1,
                    "is_leaf": n.is_leaf,
                    "permission_statuses": list(n.permission_statuses),
                }
                for i, n in enumerate(chain)
            ],
        }

    # -- uploads (§8.6, §8.7) --------------------------------------------------------------------
    @api("POST", "/product/{v}/images/upload", cipher=False, scope="Product Basic", multipart=True)
    def upload_product_image(self, ctx: Ctx) -> dict[str, Any]:
        file = ctx.request.files.get("data")
        if file is None:
            raise ApiError(12038002, "Invalid upload file: form field 'data' is required.")
        data = file.read()
        use_case = (
            ctx.request.form.get("use_case") or "MAIN_IMAGE"
        )  # default UNCONFIRMED (§16.7); [PHP] MAIN_IMAGE
        if use_case not in (
            "MAIN_IMAGE",
            "ATTRIBUTE_IMAGE",
            "DESCRIPTION_IMAGE",
            "CERTIFICATION_IMAGE",
            "SIZE_CHART_IMAGE",
        ):
            raise ApiError(12019116, f"Invalid use_case {use_case!r}.")
        if len(data) > 10 * 1024 * 1024:
            raise ApiError(12038005, "The image exceeds 10 MB.")
        size = _image_size(data)
        if size is None:
            raise ApiError(12038015, "Unsupported image format; use JPG, JPEG, PNG, WEBP, HEIC or BMP.")
        width, height = size
        low, high = (300, 4000) if use_case == "MAIN_IMAGE" else (100, 20000)
        if not (low <= width <= high and low <= height <= high):
            raise ApiError(12038014, f"Image must be {low}x{low} to {high}x{high} pixels for {use_case}.")
        digest = hashlib.sha256(data).hexdigest()
        # Identical bytes return the same uri (content-addressed, like TikTok's object store).
        uri = self.world.image_by_hash.get(digest)
        if uri is None:
            uri = f"tos-maliva-i-o3syd03w52-us/{digest[:32]}"
            url = f"{render.IMAGE_HOST}/{uri}~tplv-o3syd03w52-origin-jpeg.jpeg"
            self.world.images[uri] = Image(uri, url, width, height, use_case)
            self.world.image_by_hash[digest] = uri
        image = self.world.images[uri]
        return {
            "uri": image.uri,
            "url": image.url,
            "width": image.width,
            "height": image.height,
            "use_case": use_case,
        }

    @api("POST", "/product/{v}/files/upload", cipher=False, scope="Product Basic", multipart=True)
    def upload_product_file(self, ctx: Ctx) -> dict[str, Any]:
        file = ctx.request.files.get("data")
        name = ctx.request.form.get("name", "")
        if file is None:
            raise ApiError(12019103, "The file is empty.")
        data = file.read()
        if not data:
            raise ApiError(12019103, "The file is empty.")
        if not name:
            raise ApiError(12019104, "The file name is empty.")
        extension = name.rsplit(".", 1)[-1].upper() if "." in name else ""
        if (
            name.count(".") != 1
            or " " in name
            or not name[0].isalnum()
            or extension not in ("PDF", "MP4", "MOV", "WEBM")
        ):
            raise ApiError(12019105, "Invalid file name; e.g. certification.pdf (no spaces, one dot).")
        limit = 20 * 1024 * 1024 if extension == "PDF" else 100 * 1024 * 1024
        if len(data) > limit:
            raise ApiError(12038005, "The file is too large.")
        file_id = "v09e" + hashlib.sha256(data).hexdigest()[:28]
        url = f"https://v16m-default.akamaized.net/{file_id}"
        self.world.files[file_id] = {"id": file_id, "url": url, "name": name, "format": extension}
        return dict(self.world.files[file_id])

    # -- create / edit (§8.8-§8.10) --------------------------------------------------------------
    @api("POST", "/product/{v}/products", scope="Product Modify")
    def create_product(self, ctx: Ctx) -> dict[str, Any]:
        shop = ctx.shop_required
        body = ctx.body()
        key = body.get("idempotency_key")
        if key and (shop.id, str(key)) in self.world.idempotency:
            return copy.deepcopy(self.world.idempotency[(shop.id, str(key))])
        outcome = validate_product(self.world, shop, body)
        first_error(outcome)
        self._check_duplicate_seller_skus(shop, body, exclude=None)
        draft = body.get("save_mode") == "AS_DRAFT"
        self._take_listing_quota(shop)
        product = self.new_product(shop, self.normalize(shop, body, outcome, None), draft=draft)
        result = self._write_result(product, outcome)
        if key:
            self.world.idempotency[(shop.id, str(key))] = copy.deepcopy(result)
        return result

    @api("PUT", "/product/{v}/products/<product_id>", versions=EDIT_VERSIONS, scope="Product Modify")
    def edit_product(self, ctx: Ctx, product_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        product = self._own_product(shop, product_id)
        body = ctx.body()
        merged = self._merge_sku_defaults(product, body)
        return self._apply_edit(shop, product, merged, full=True)

    @api(
        "POST",
        "/product/{v}/products/<product_id>/partial_edit",
        versions=EDIT_VERSIONS,
        scope="Product Modify",
    )
    def partial_edit_product(self, ctx: Ctx, product_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        product = self._own_product(shop, product_id)
        body = ctx.body()
        # §8.10: per top-level property; omitted properties keep their value.
        merged = {k: copy.deepcopy(v) for k, v in self._editable_snapshot(product).items()}
        merged.update({k: copy.deepcopy(v) for k, v in body.items()})
        merged = self._merge_sku_defaults(product, merged)
        return self._apply_edit(shop, product, merged, full=False)

    def _editable_snapshot(self, product: Product) -> dict[str, Any]:
        snapshot = copy.deepcopy(product.current())
        snapshot.pop("_attr_ids", None)
        return snapshot

    def _merge_sku_defaults(self, product: Product, body: dict[str, Any]) -> dict[str, Any]:
        """§8.9: price and inventory of an existing SKU stay unchanged when omitted."""
        merged = copy.deepcopy(body)
        existing = {s["id"]: s for s in product.current()["skus"]}
        for sku in merged.get("skus") or []:
            old = existing.get(str(sku.get("id") or ""))
            if old is None:
                continue
            sku.setdefault("price", copy.deepcopy(old["price"]))
            sku.setdefault("inventory", copy.deepcopy(old["inventory"]))
        return merged

    def _apply_edit(
        self, shop: Shop, product: Product, body: dict[str, Any], *, full: bool
    ) -> dict[str, Any]:
        if product.status in ("FREEZE", "DELETED"):
            raise ApiError(12052901, f"The product status {product.status} does not allow this operation.")
        known = {s["id"] for s in product.current()["skus"]}
        for sku in body.get("skus") or []:
            if sku.get("id") and str(sku["id"]) not in known:
                raise ApiError(12052556, f"SKU {sku['id']} does not exist in this product.")
        outcome = validate_product(self.world, shop, body, is_edit=True)
        first_error(outcome)
        self._check_duplicate_seller_skus(shop, body, exclude=product.id)
        snapshot = self.normalize(shop, body, outcome, product)
        if body.get("save_mode") == "AS_DRAFT":
            if product.status == "PENDING":
                raise ApiError(12052901, "A draft cannot be saved while the product is under review.")
            product.draft = snapshot
            product.update_time = self.clock.now_int()
            return self._write_result(product, outcome, snapshot)
        self.submit_edit(shop, product, snapshot)
        return self._write_result(product, outcome, snapshot)

    def _write_result(
        self, product: Product, outcome: Outcome, snapshot: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        snapshot = snapshot or product.current()
        return {
            "product_id": product.id,
            "skus": [
                {
                    "id": s["id"],
                    "seller_sku": s.get("seller_sku", ""),
                    "sales_attributes": [
                        {"id": a["id"], "value_id": a["value_id"]} for a in s.get("sales_attributes", [])
                    ],
                    "external_sku_id": s.get("external_sku_id", ""),
                    "fees": list(s.get("fees") or []),
                }
                for s in snapshot["skus"]
            ],
            "warnings": [{"message": w} for w in outcome.warnings],
            "audit": {"status": product.audit_status},
        }

    def _take_listing_quota(self, shop: Shop) -> None:
        """§5.4: new shops may upload 100 products/day in probation (configurable per shop)."""
        day = time.strftime("%Y-%m-%d", time.gmtime(self.clock.now()))
        used = shop.listings_by_day.get(day, 0)
        if used >= shop.daily_listing_quota:
            raise ApiError(
                12052093,
                f"Exceeded the product listing limit for the seller. Daily limit: "
                f"{shop.daily_listing_quota} new products per day.",
            )
        shop.listings_by_day[day] = used + 1

    def _check_duplicate_seller_skus(self, shop: Shop, body: dict[str, Any], exclude: str | None) -> None:
        wanted = {s.get("seller_sku") for s in body.get("skus") or [] if s.get("seller_sku")}
        for product in self.world.products.values():
            if product.shop_id != shop.id or product.id == exclude or product.status == "DELETED":
                continue
            for sku in product.current()["skus"]:
                if sku.get("seller_sku") in wanted:
                    # No dedicated documented code for a seller_sku used by another product (emulator rule).
                    raise ApiError(
                        12052910,
                        f"Invalid input parameters. seller_sku {sku['seller_sku']!r} is already "
                        f"used by product {product.id}.",
                    )

    def normalize(
        self, shop: Shop, body: dict[str, Any], outcome: Outcome, product: Product | None
    ) -> dict[str, Any]:
        """The stored snapshot: the request body with generated SKU / attribute ids, brand cleared if invalid."""
        snapshot = copy.deepcopy(body)
        snapshot.pop("idempotency_key", None)
        snapshot["category_version"] = body.get("category_version") or "v1"
        if body.get("brand_id") and body["brand_id"] not in self.world.brands:
            snapshot["brand_id"] = ""
        attr_ids: dict[str, str] = dict((product.current().get("_attr_ids") or {}) if product else {})
        names = {a["name"].lower(): a["id"] for a in seeds.gb_attributes()}
        for sku in snapshot["skus"]:
            if not sku.get("id"):
                sku["id"] = self.world.ids.next("sku")
            sku["id"] = str(sku["id"])
            for attr in sku.get("sales_attributes") or []:
                if not attr.get("id"):
                    label = str(attr.get("name", "")).lower()
                    attr["id"] = (
                        names.get(label)
                        or names.get(label.replace("color", "colour"))
                        or attr_ids.setdefault(f"n:{label}", self.world.ids.next("value"))
                    )
                attr["id"] = str(attr["id"])
                if not attr.get("value_id"):
                    attr["value_id"] = attr_ids.setdefault(
                        f"v:{attr['id']}:{attr.get('value_name', '')}", self.world.ids.next("value")
                    )
                attr["value_id"] = str(attr["value_id"])
            for inv in sku.get("inventory") or []:
                inv["warehouse_id"] = str(inv["warehouse_id"])
        snapshot["_attr_ids"] = attr_ids
        return snapshot

    def _own_product(self, shop: Shop, product_id: str) -> Product:
        product = self.world.products.get(product_id)
        if product is None:
            raise ApiError(12052032, "The product does not exist.")
        if product.shop_id != shop.id:
            raise ApiError(12052048, "You can't edit other sellers' products")
        return product

    # -- read (§8.11, §8.12, §8.16) --------------------------------------------------------------
    @api("GET", "/product/{v}/products/<product_id>", scope="Product Basic")
    def get_product(self, ctx: Ctx, product_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        product = self.world.products.get(product_id)
        if product is None or product.shop_id != shop.id:
            raise ApiError(12052032, "The product does not exist.")
        if ctx.query.get("return_under_review_version") == "true":
            if product.pending is None:
                raise ApiError(12052547, "The product has no version under review.")
            snapshot = product.pending
        elif ctx.query.get("return_draft_version") == "true" and product.draft is not None:
            snapshot = product.draft
        else:
            # Default: the approved/live snapshot, else the newest content (never-approved products).
            snapshot = product.live or product.current()
        return render.product_view(self.world, shop, product, snapshot)

    @api("POST", "/product/{v}/products/search", versions=SEARCH_VERSIONS, scope="Product Basic")
    def search_products(self, ctx: Ctx) -> dict[str, Any]:
        shop = ctx.shop_required
        size, offset = self._page(ctx, maximum=100)
        body = ctx.body()
        status = body.get("status") or "ALL"
        seller_skus = body.get("seller_skus") or []
        sku_ids = body.get("sku_ids") or []
        if len(seller_skus) > 10:
            raise ApiError(12019027, "At most 10 seller_skus.")
        if len(sku_ids) > 10:
            raise ApiError(12019087, "At most 10 sku_ids.")
        audit = body.get("audit_status") or []
        matches = []
        for product in sorted(self.world.products.values(), key=lambda p: (p.create_time, p.id)):
            if product.shop_id != shop.id or (status != "ALL" and product.status != status):
                continue
            if audit and product.audit_status not in audit:
                continue
            skus = product.current()["skus"]
            if seller_skus and not any(s.get("seller_sku") in seller_skus for s in skus):
                continue
            if sku_ids and not any(s["id"] in sku_ids for s in skus):
                continue
            if not _in_range(product.create_time, body, "create_time") or not _in_range(
                product.update_time, body, "update_time"
            ):
                continue
            matches.append(product)
        if offset > 10_000:
            raise ApiError(12052180, "The result window is capped at 10,000 products; narrow the time range.")
        page = matches[offset : offset + size]
        return {
            "products": [render.product_summary(self.world, shop, p) for p in page],
            "total_count": len(matches),
            "next_page_token": render.page_token(offset + len(page), len(matches)),
        }

    def _page(self, ctx: Ctx, *, maximum: int, default: int | None = None) -> tuple[int, int]:
        raw = ctx.query.get("page_size", "")
        if not raw and default is not None:
            raw = str(default)
        if not raw.isdigit() or not 1 <= int(raw) <= maximum:
            raise ApiError(12019109, f"page_size is required and must be between 1 and {maximum}.")
        offset = render.read_page_token(ctx.query.get("page_token", ""))
        if offset is None:
            raise ApiError(12019108, "Invalid page_token.")
        return int(raw), offset

    @api("POST", "/product/{v}/inventory/search", scope="Product Basic")
    def inventory_search(self, ctx: Ctx) -> dict[str, Any]:
        shop = ctx.shop_required
        body = ctx.body()
        sku_ids = [str(s) for s in body.get("sku_ids") or []]
        product_ids = [str(p) for p in body.get("product_ids") or []]
        if len(sku_ids) > 600 or len(product_ids) > 100:
            raise ApiError(12052910, "At most 100 product_ids or 600 sku_ids.")
        if sku_ids:  # §8.16: sku_ids win when both are given
            product_ids = list(
                dict.fromkeys(self.world.sku_index[s] for s in sku_ids if s in self.world.sku_index)
            )
        result = []
        for pid in product_ids:
            product = self.world.products.get(pid)
            if product is None or product.shop_id != shop.id:
                continue
            skus = []
            for sku in product.current()["skus"]:
                if sku_ids and sku["id"] not in sku_ids:
                    continue
                available = sum(inv["quantity"] for inv in sku["inventory"])
                committed = product.committed.get(sku["id"], 0)
                skus.append(
                    {
                        "id": sku["id"],
                        "seller_sku": sku.get("seller_sku", ""),
                        "total_available_quantity": available,
                        "total_committed_quantity": committed,
                        "warehouse_inventory": [
                            {
                                "warehouse_id": inv["warehouse_id"],
                                "available_quantity": inv["quantity"],
                                "committed_quantity": committed if i == 0 else 0,
                            }
                            for i, inv in enumerate(sku["inventory"])
                        ],
                        "total_available_inventory_distribution": {
                            "campaign_inventory": [],
                            "creator_inventory": [],
                            "in_shop_inventory": {"quantity": available},
                        },
                    }
                )
            result.append({"product_id": pid, "skus": skus})
        return {"inventory": result}

    # -- status batch endpoints (§8.13) ----------------------------------------------------------
    def _batch(self, ctx: Ctx, action: Any) -> dict[str, Any]:
        ids = [str(p) for p in ctx.body().get("product_ids") or []]
        if not ids:
            raise ApiError(12052910, "product_ids is required.")
        if len(ids) > BATCH_LIMIT:
            raise ApiError(12019120, "At most 20 product ids per request.")
        errors = []
        for pid in ids:
            product = self.world.products.get(pid)
            failure: tuple[int, str] | None
            if product is None:
                failure = (12052032, "The product does not exist.")
            elif product.shop_id != ctx.shop_required.id:
                failure = (12052048, "You can't edit other sellers' products")
            else:
                failure = action(product)
            if failure:
                errors.append(
                    {
                        "code": failure[0],
                        "message": failure[1],
                        "detail": {"product_id": pid, "extra_errors": []},
                    }
                )
        return {"errors": errors}

    @api("POST", "/product/{v}/products/activate", scope="Product Basic")
    def activate_products(self, ctx: Ctx) -> dict[str, Any]:
        return self._batch(ctx, self.seller_activate)

    @api("POST", "/product/{v}/products/deactivate", scope="Product Basic")
    def deactivate_products(self, ctx: Ctx) -> dict[str, Any]:
        return self._batch(ctx, self.seller_deactivate)

    @api("DELETE", "/product/{v}/products", scope="Product Delete & Recover")
    def delete_products(self, ctx: Ctx) -> dict[str, Any]:
        return self._batch(ctx, self.seller_delete)

    @api("POST", "/product/{v}/products/recover", scope="Product Delete & Recover")
    def recover_products(self, ctx: Ctx) -> dict[str, Any]:
        return self._batch(ctx, self.seller_recover)

    # -- inventory / price (§8.14, §8.15) --------------------------------------------------------
    @api("POST", "/product/{v}/products/<product_id>/inventory/update", scope="Product Modify")
    def update_inventory(self, ctx: Ctx, product_id: str) -> dict[str, Any]:
        product = self._own_product(ctx.shop_required, product_id)
        if product.status != "ACTIVATE":
            raise ApiError(
                12052901, f"Inventory can only be updated for ACTIVATE products (status {product.status})."
            )
        skus = ctx.body().get("skus")
        if not isinstance(skus, list) or not skus:
            raise ApiError(12052036, "skus[].id is required.")
        plan: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
        seen: set[str] = set()
        for entry in skus:
            sku_id = str(entry.get("id") or "")
            if not sku_id:
                raise ApiError(12052036, "skus[].id is required.")
            if sku_id in seen:
                raise ApiError(12052553, f"Duplicate sku {sku_id}.")
            seen.add(sku_id)
            versions = [s for v in product.versions() for s in v["skus"] if s["id"] == sku_id]
            if not versions:
                raise ApiError(12052556, f"SKU {sku_id} does not exist in this product.")
            new_inventory = entry.get("inventory")
            if not isinstance(new_inventory, list) or not new_inventory:
                raise ApiError(12019024, "inventory is required.")
            current = versions[0]["inventory"]
            if len(new_inventory) == 1 and not new_inventory[0].get("warehouse_id") and len(current) == 1:
                new_inventory = [dict(new_inventory[0], warehouse_id=current[0]["warehouse_id"])]
            if {str(i.get("warehouse_id")) for i in new_inventory} != {i["warehouse_id"] for i in current}:
                raise ApiError(
                    12052533,
                    "Include every warehouse of the SKU; warehouses cannot be added or removed here.",
                )
            for inv in new_inventory:
                quantity = inv.get("quantity")
                if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= 99_999:
                    raise ApiError(12019024, "quantity must be an integer 0-99999.")
            plan.append((versions, new_inventory))
        for versions, new_inventory in plan:
            for sku in versions:
                sku["inventory"] = [
                    {
                        "warehouse_id": str(i["warehouse_id"]),
                        "quantity": i["quantity"],
                        **{k: i[k] for k in ("backorder_quantity", "handling_time") if k in i},
                    }
                    for i in new_inventory
                ]
        product.update_time = self.clock.now_int()
        return {"errors": []}

    @api("POST", "/product/{v}/products/<product_id>/prices/update", scope="Product Modify")
    def update_price(self, ctx: Ctx, product_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        product = self._own_product(shop, product_id)
        if product.status != "ACTIVATE":
            raise ApiError(
                12052901, f"Price can only be updated for ACTIVATE products (status {product.status})."
            )
        skus = ctx.body().get("skus")
        if not isinstance(skus, list) or not skus:
            raise ApiError(12052910, "skus is required.")
        region = seeds.REGIONS[shop.region]
        plan = []
        for entry in skus:
            sku_id = str(entry.get("id") or "")
            versions = [s for v in product.versions() for s in v["skus"] if s["id"] == sku_id]
            if not versions:
                raise ApiError(12052557, f"SKU {sku_id} is not in this product.")
            price = entry.get("price") or {}
            outcome = Outcome()
            check_price(outcome, price, shop)
            if outcome.problems:
                code = outcome.problems[0].code
                raise ApiError(
                    12052012 if code == 12052073 else code,
                    outcome.problems[0].message + f" ({region.price_min}-{region.price_max} {shop.currency})",
                )
            plan.append((versions, price))
        for versions, price in plan:
            for sku in versions:
                sku["price"] = {
                    "amount": str(price["amount"]),
                    "currency": price["currency"],
                    **({"sale_price": str(price["sale_price"])} if price.get("sale_price") else {}),
                }
        product.update_time = self.clock.now_int()
        return {}

    # -- listing checks (§8.17, §8.18) -----------------------------------------------------------
    @api("GET", "/product/{v}/prerequisites", versions=PREREQ_VERSIONS, scope="Product Basic")
    def check_listing_prerequisites(self, ctx: Ctx) -> dict[str, Any]:
        shop = ctx.shop_required
        day = time.strftime("%Y-%m-%d", time.gmtime(self.clock.now()))
        quota_left = shop.daily_listing_quota - shop.listings_by_day.get(day, 0)
        has_return = any(w.type == "RETURN_WAREHOUSE" for w in shop.warehouses)
        checks = {
            "SHOP_STATUS": (not shop.active, "The shop is not active."),
            "PICKUP_WAREHOUSE": (
                not any(w.type == "SALES_WAREHOUSE" for w in shop.warehouses),
                "Set a pickup warehouse in Seller Center.",
            ),
            "RETURN_WAREHOUSE": (
                not has_return,
                "Couldn't publish this product as you haven't set the return warehouse for your shop. "
                "Add the return warehouse information on TikTok Shop Seller Center first and try again.",
            ),
            "DELIVERY_OPTION": (not shop.delivery_options, "Set up a delivery option."),
            "SHIPPING_TEMPLATE": (False, ""),
            "PRODUCT_QUANTITY_LIMIT": (quota_left <= 0, "You have reached today's product listing limit."),
            "BANk_ACCOUNT": (False, ""),  # sic (§8.17)
            "CONTACT_INFO": (False, ""),
        }
        if shop.region == "US":
            checks["SHOP_TAX"] = (False, "")
        return {
            "check_results": [
                {"check_item": item, "is_failed": failed, "fail_reasons": [reason] if failed else []}
                for item, (failed, reason) in checks.items()
            ]
        }

    @api("POST", "/product/{v}/products/listing_check", scope="Product Basic")
    def check_product_listing(self, ctx: Ctx) -> dict[str, Any]:
        outcome = validate_product(self.world, ctx.shop_required, ctx.body())
        return {
            "check_result": "PASS" if outcome.ok else "FAILED",
            "fail_reasons": [p.as_dict() for p in outcome.problems],
            # §8.18: `warnings{message}` is a single object here (Create/Edit return a list).
            "warnings": {"message": " ".join(outcome.warnings)},
            "listing_quality": {"current_tier": "GOOD", "remaining_recommendations": 0},
            "diagnoses": [],
        }


def _in_range(value: int, body: dict[str, Any], prefix: str) -> bool:
    ge = body.get(f"{prefix}_ge")
    le = body.get(f"{prefix}_le")
    return (ge is None or value >= int(ge)) and (le is None or value <= int(le))


def _score_categories(tree: str, text: str) -> str | None:
    """Local scoring: words shared between the text and a leaf's path, leaf name weighted double."""
    words = {w for w in _words(text) if len(w) > 2}
    best: tuple[float, str] | None = None
    nodes = seeds.category_tree(tree)
    for node in nodes.values():
        if not node.is_leaf or "PROHIBITED" in node.permission_statuses:
            continue
        chain = seeds.category_chain(tree, node.id)
        leaf_words = set(_words(node.local_name))
        path_words = {w for n in chain for w in _words(n.local_name)}
        score = 2 * len(words & leaf_words) + len(words & path_words)
        if score and (best is None or score > best[0] or (score == best[0] and int(node.id) < int(best[1]))):
            best = (score, node.id)
    return best[1] if best else None


def _words(text: str) -> list[str]:
    out = []
    for raw in text.lower().replace("&", " ").replace(",", " ").replace("'", " ").split():
        word = "".join(ch for ch in raw if ch.isalnum())
        out.append(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return out
