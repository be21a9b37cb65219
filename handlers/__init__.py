"""Conversation logic: plain async functions from an Incoming event to a list of actions.

Nothing in this package imports a Telegram library; the adapters in ``bot`` translate.
"""
