"""Listing errors the merchant sees, each with a code, a plain reason and the fix."""

from __future__ import annotations

from shopbridge.core.errors import TerminalError


class MappingLocked(TerminalError):
    default_code = "mapping_locked"
    default_fix = (
        "TikTok does not let a listed product change category through ShopBridge. Change it in TikTok "
        "Seller Center, or delete the TikTok product and sync again."
    )


class ChannelStopped(TerminalError):
    default_code = "channel_stopped"


class DuplicateOnTikTok(TerminalError):
    default_code = "sku_exists_on_tiktok"
    default_fix = "Link the existing TikTok product to this store product instead of creating a duplicate."


class NotMapped(TerminalError):
    default_code = "not_mapped"
    default_fix = "Map the product to a TikTok category first."
