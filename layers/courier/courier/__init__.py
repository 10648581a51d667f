"""Render Courier: render files from templates and deliver them into the customer's own storage."""

__version__ = "0.1.0"
