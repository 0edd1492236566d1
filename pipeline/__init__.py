"""civicnews: structured records from pt/ro/bg press articles."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("civicnews")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"
