"""The resource library (named in honour of Sheri P. Rosenberg): its documents, collections,
resources and annual reports, one module each.

An `AnnualReportPage` is a `ResourcePage` (multi-table inheritance), as a commemoration is a story:
the library lists, filters and searches reports with everything else, and a report adds only its
headline figures and its place in the sequence of years.
"""

# resources/migrations/0001_initial.py names the year's default by this module's path.
from aipg_site.models import current_year

from .annual_reports import AnnualReportIndexPage, AnnualReportPage
from .collections import ResourceCollection
from .documents import LibraryDocument, LibraryDocumentFileName
from .library import RESOURCE_KINDS, ResourceLibraryPage, ResourcePage, listing_cards

__all__ = [
    "RESOURCE_KINDS",
    "AnnualReportIndexPage",
    "AnnualReportPage",
    "LibraryDocument",
    "LibraryDocumentFileName",
    "ResourceCollection",
    "ResourceLibraryPage",
    "ResourcePage",
    "current_year",
    "listing_cards",
]
