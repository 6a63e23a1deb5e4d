"""Tortoise models, one module per aggregate. They import nothing of ours but each other."""

APP_LABEL = "deskql"
MODEL_MODULES = [
    "models.accounts",
    "models.forms",
    "models.sla",
    "models.people",
    "models.teams",
    "models.tickets",
    "models.conversation",
    "models.activity",
    "models.notifications",
    "models.settings",
    "models.timekeeping",
    "models.auth",
    "models.mail",
    "models.ticket_actions",
    "models.calendar",
    "models.alerts",
    "models.ai",
    "models.files",
    "models.views",
    "models.automation",
]
