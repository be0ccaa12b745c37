"""Read the stamp an exported portfolio carries and check it against the records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.portfolio import PortfolioCheck, check_portfolio

if TYPE_CHECKING:
    from apdesk.db.database import Database

_DIGEST = re.compile(r"apdesk-digest:([0-9a-f]{64})")
_TRAINEE = re.compile(r"apdesk-trainee:(\d+)")


class NotAPortfolioError(ValueError):
    """The file is not a PDF, or not one APDesk exported."""


class AlteredPortfolioError(ActionRefusedError):
    """The digest printed on the portfolio is not the one it was exported with."""


@dataclass(frozen=True)
class PortfolioStamp:
    trainee_id: int
    digest: str


def read_stamp(path: Path) -> PortfolioStamp:
    """The trainee and digest a portfolio was exported with, from its metadata, checked
    against the digest printed on its last page."""
    from pypdf import PdfReader  # only verification reads PDFs
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        keywords = str((reader.metadata or {}).get("/Keywords") or "")
        last_page = reader.pages[-1].extract_text() if reader.pages else ""
    except (PdfReadError, ValueError, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise NotAPortfolioError(f"{path} is not a readable PDF ({error})") from error
    digest, trainee = _DIGEST.search(keywords), _TRAINEE.search(keywords)
    if digest is None or trainee is None:
        raise NotAPortfolioError(
            f"{path} is not an APDesk evidence portfolio (it has no APDesk stamp)"
        )
    if digest.group(1) not in "".join(last_page.split()):
        raise AlteredPortfolioError(
            f"DOES NOT MATCH: {path} has been altered: the digest printed on its last page "
            "is not the one it was exported with"
        )
    return PortfolioStamp(int(trainee.group(1)), digest.group(1))


def verify_portfolio(database: Database, actor: Actor, path: Path) -> PortfolioCheck:
    stamp = read_stamp(path)
    return check_portfolio(database, actor, stamp.trainee_id, stamp.digest)
