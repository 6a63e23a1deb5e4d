"""Loaders of the Actions menu: products and expenses, chats."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from models.ticket_actions import Chat, ChatMessage, TicketItem
from schema.loaders.base import LoaderBase, by_id, grouped_by
from services import visibility


class ActionLoaders(LoaderBase):
    @cached_property
    def items_by_ticket(self) -> DataLoader[int, list[TicketItem]]:
        v = self.viewer
        return grouped_by(lambda: visibility.ticket_items(v), "ticket_id", "date", "id")

    @cached_property
    def chats_by_ticket(self) -> DataLoader[int, list[Chat]]:
        v = self.viewer
        return grouped_by(lambda: visibility.chats(v), "ticket_id", "-started_at", "-id")

    @cached_property
    def item_by_id(self) -> DataLoader[int, TicketItem | None]:
        v = self.viewer
        return by_id(lambda: visibility.ticket_items(v))

    @cached_property
    def chat_by_id(self) -> DataLoader[int, Chat | None]:
        v = self.viewer
        return by_id(lambda: visibility.chats(v))

    @cached_property
    def chat_message_by_id(self) -> DataLoader[int, ChatMessage | None]:
        v = self.viewer
        return by_id(lambda: visibility.chat_messages(v))
