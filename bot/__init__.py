"""Composition root and transports: the only package that imports aiogram, telegram or apscheduler."""
