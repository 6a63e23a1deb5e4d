"""Loaders of knowledge-base articles."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from models.ai import KbArticle
from schema.loaders.base import LoaderBase, by_id
from services import visibility


class AiLoaders(LoaderBase):
    @cached_property
    def kb_article_by_id(self) -> DataLoader[int, KbArticle | None]:
        v = self.viewer
        return by_id(lambda: visibility.kb_articles(v))
