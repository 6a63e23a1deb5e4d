"""Automation rules: definitions, conditions, actions, the engine that runs them, defaults, time-based runs."""
