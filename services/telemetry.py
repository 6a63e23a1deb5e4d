"""What services and the realtime pieces tell the operator's metrics. The application installs a
telemetry (app.metrics) when metrics are on; until then every call does nothing.

Labels are short, bounded words: an outcome, a feature, a kind of channel; never a person or a text.
"""

from __future__ import annotations

from typing import Protocol


class Telemetry(Protocol):
    def inbound_mail(self, outcome: str) -> None:
        """A received email was recorded with this outcome (``InboundOutcome``)."""

    def ai_call(self, feature: str, succeeded: bool, prompt_tokens: int, completion_tokens: int) -> None:
        """A language model was asked for ``feature``, answered or not."""

    def rate_limited(self, limit: str) -> None:
        """A request was refused by a rate limit: ``mutations``, ``introspection``, ``login`` or
        ``login_client``."""

    def published(self, channel: str) -> None:
        """A message was handed to the broadcast on ``channel``."""

    def delivered(self, channel: str, subscribers: int, lag_seconds: float | None) -> None:
        """A message of ``channel`` reached this process's ``subscribers``, ``lag_seconds`` after it was
        published (None when the message does not say when)."""

    def subscriber_dropped(self, channel: str) -> None:
        """A subscriber of ``channel`` fell too far behind and was cut off."""

    def publish_dropped(self) -> None:
        """A message waiting to be published was dropped (the buffer was full)."""

    def subscription(self, kind: str, change: int) -> None:
        """A subscription of ``kind`` (its root field) started (+1) or ended (-1)."""


class NoTelemetry:
    """Until the application installs one, and whenever metrics are off."""

    def inbound_mail(self, outcome: str) -> None:
        pass

    def ai_call(self, feature: str, succeeded: bool, prompt_tokens: int, completion_tokens: int) -> None:
        pass

    def rate_limited(self, limit: str) -> None:
        pass

    def published(self, channel: str) -> None:
        pass

    def delivered(self, channel: str, subscribers: int, lag_seconds: float | None) -> None:
        pass

    def subscriber_dropped(self, channel: str) -> None:
        pass

    def publish_dropped(self) -> None:
        pass

    def subscription(self, kind: str, change: int) -> None:
        pass


_telemetry: Telemetry = NoTelemetry()


def install_telemetry(telemetry: Telemetry) -> None:
    global _telemetry
    _telemetry = telemetry


def telemetry() -> Telemetry:
    return _telemetry
