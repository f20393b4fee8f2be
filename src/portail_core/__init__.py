"""Account creation rules of a Quebec school parent portal."""

from portail_core._version import __version__

__all__ = ["__version__"]
