"""Dashboard routes. Every id in a route is looked up through a merchant-scoped selector (404 otherwise)."""

from django.urls import path, register_converter

from .converters import IdConverter
from .views import (
    actions,
    activity,
    auth,
    catalogue,
    category_templates,
    connect,
    connections,
    home,
    listing_actions,
    orders,
    tokens,
    unlinked,
)

register_converter(IdConverter, "id")
app_name = "dashboard"

urlpatterns = [
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("", home.home, name="home"),
    path("connections/", connections.connections, name="connections"),
    path("connections/stores/new/", connect.store_connect, name="store_connect"),
    path("connections/tiktok/new/", connect.tiktok_connect, name="tiktok_connect"),
    path("connections/tiktok/callback/", connect.tiktok_callback, name="tiktok_callback"),
    path("connections/channels/new/", connect.channel_create, name="channel_create"),
    path("connections/stores/<id:store_id>/", connections.store_detail, name="store"),
    path("connections/stores/<id:store_id>/import/", connect.store_import, name="store_import"),
    path("connections/shops/<id:shop_id>/", connections.shop_detail, name="shop"),
    path("channels/<id:channel_id>/", connections.channel_detail, name="channel"),
    path("channels/<id:channel_id>/settings/", connect.channel_settings, name="channel_settings"),
    path("channels/<id:channel_id>/rate/", connect.channel_rate, name="channel_rate"),
    path("channels/<id:channel_id>/autolink/", listing_actions.channel_autolink, name="channel_autolink"),
    path("channels/<id:channel_id>/unlinked-skus/", unlinked.channel_unlinked, name="channel_unlinked"),
    path("channels/<id:channel_id>/unlinked-skus/link/", unlinked.unlinked_link, name="unlinked_link"),
    path("imports/<id:run_id>/progress/", connections.import_progress, name="import_progress"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/bulk/", listing_actions.catalogue_bulk, name="catalogue_bulk"),
    path("catalogue/<id:product_id>/", catalogue.product_detail, name="product"),
    path("catalogue/<id:product_id>/mapping/", listing_actions.mapping_set, name="mapping_set"),
    path("catalogue/<id:product_id>/mapping/remove/", listing_actions.mapping_remove, name="mapping_remove"),
    path("catalogue/<id:product_id>/link/", listing_actions.listing_link, name="listing_link"),
    path("listings/<id:listing_id>/preview/", listing_actions.listing_preview, name="listing_preview"),
    path("listings/<id:listing_id>/sync/", listing_actions.listing_sync, name="listing_sync"),
    path("listings/<id:listing_id>/unlink/", listing_actions.listing_unlink, name="listing_unlink"),
    path("mappings/", catalogue.mappings, name="mappings"),
    path(
        "mappings/channels/<id:channel_id>/templates/",
        category_templates.channel_templates,
        name="channel_templates",
    ),
    path(
        "mappings/channels/<id:channel_id>/templates/create/",
        category_templates.template_create,
        name="template_create",
    ),
    path(
        "mappings/channels/<id:channel_id>/templates/apply/",
        category_templates.templates_apply,
        name="templates_apply",
    ),
    path(
        "mappings/templates/<id:template_id>/delete/",
        category_templates.template_delete,
        name="template_delete",
    ),
    path("orders/", orders.orders, name="orders"),
    path("orders/<id:order_id>/", orders.order_detail, name="order"),
    path("orders/<id:order_id>/resync/", actions.order_resync, name="order_resync"),
    path("activity/jobs/", activity.jobs, name="jobs"),
    path("activity/jobs/<id:job_id>/", activity.job_detail, name="job"),
    path("activity/jobs/<id:job_id>/retry/", actions.job_retry, name="job_retry"),
    path("activity/calls/", activity.calls, name="calls"),
    path("activity/events/", activity.events, name="events"),
    path("activity/events/<id:event_id>/", activity.event_detail, name="event"),
    path("activity/events/<id:event_id>/replay/", actions.event_replay, name="event_replay"),
    path("activity/rejected/", activity.rejected, name="rejected"),
    path("settings/api-tokens/", tokens.tokens, name="tokens"),
    path("settings/api-tokens/<id:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
]
