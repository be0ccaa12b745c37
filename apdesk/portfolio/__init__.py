"""The printed evidence portfolio (PDF), rendered with ReportLab.

Importing this package costs nothing: ReportLab (~0.12 s) is imported on the first
render, so the app starts without it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from apdesk.services.portfolio_views import Portfolio


def render_portfolio(portfolio: Portfolio, digest: str, out: str | os.PathLike | BinaryIO) -> int:
    """Write the PDF; return its page count."""
    from apdesk.portfolio.document import render

    return render(portfolio, digest, out)
