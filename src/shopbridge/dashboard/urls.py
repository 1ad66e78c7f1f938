"""Dashboard routes. Every id in a route is looked up through a merchant-scoped selector (404 otherwise)."""

from django.urls import path, register_converter

from .converters import IdConverter
from .views import activity, auth, catalogue, connections, home, orders

register_converter(IdConverter, "id")
app_name = "dashboard"

urlpatterns = [
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("", home.home, name="home"),
    path("connections/", connections.connections, name="connections"),
    path("connections/stores/<id:store_id>/", connections.store_detail, name="store"),
    path("connections/shops/<id:shop_id>/", connections.shop_detail, name="shop"),
    path("channels/<id:channel_id>/", connections.channel_detail, name="channel"),
    path("imports/<id:run_id>/progress/", connections.import_progress, name="import_progress"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<id:product_id>/", catalogue.product_detail, name="product"),
    path("mappings/", catalogue.mappings, name="mappings"),
    path("orders/", orders.orders, name="orders"),
    path("orders/<id:order_id>/", orders.order_detail, name="order"),
    path("activity/jobs/", activity.jobs, name="jobs"),
    path("activity/jobs/<id:job_id>/", activity.job_detail, name="job"),
    path("activity/calls/", activity.calls, name="calls"),
    path("activity/events/", activity.events, name="events"),
    path("activity/events/<id:event_id>/", activity.event_detail, name="event"),
    path("activity/rejected/", activity.rejected, name="rejected"),
]
