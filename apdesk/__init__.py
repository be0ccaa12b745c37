"""APDesk: run Assistant Practitioner apprenticeships (Level 5, Band 4) on a trust PC."""

__version__ = "0.1.0"
