"""Adapters to the outside world (mail, AI, storage, calendars) behind the interfaces services declare."""
