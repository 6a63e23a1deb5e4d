"""Realtime: broadcast wiring, channels, event payloads, presence and the subscription generators."""
