"""Menu entries of the notifications app, discovered by the navigation. The unread count for
a badge is ``notifications_unread`` (context processor ``unread_notifications``)."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "operations", "label": _("Notifications"), "url": "notifications:centre",
     "icon": "bell", "permission": "notifications.view_notification", "order": 95},
    {"group": "settings", "label": _("Notification settings"),
     "url": "notifications:preferences", "icon": "bell-cog",
     "permission": "notifications.change_preference", "order": 60},
    {"group": "settings", "label": _("Notification deliveries"),
     "url": "notifications:deliveries", "icon": "send",
     "permission": "notifications.retry_delivery", "order": 61},
    {"group": "settings", "label": _("Notification channels"),
     "url": "notifications:channels", "icon": "robot",
     "permission": "notifications.change_channel", "order": 62},
]
