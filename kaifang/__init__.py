"""kaifang: the shell that ties the platform together (CLI, settings, secrets, ASGI composition, sample data)."""

__version__ = "0.1.0"
