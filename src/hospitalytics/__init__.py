"""hospitalytics: hospital operations analytics for pandas (bootstrap; filled in below)."""

from ._version import __version__

__all__ = ["__version__"]
