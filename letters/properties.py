"""The document properties of every Word file the app writes: who wrote it, for which service, and when.

Word, LibreOffice and a records system show a file's properties (File > Info, or a folder's columns) before
anyone opens it. A letter whose author reads "python-docx" and whose creation date is a fixed day in the past
says nothing true about where it came from, so every document is stamped as it is written: the title, the
practitioner as author (the signed-in account when no practitioner is set), the service as the company, the real
time of writing, and the app as the application. The generic preview image a blank template carries is dropped,
so no file shows a picture of a different document.
"""

from __future__ import annotations

from datetime import datetime

from db.files import app_xml, written_at

THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def author_of(practitioner: str) -> str:
    """The author a document names: the practitioner's name (``Jamie Rowe, AP`` -> ``Jamie Rowe``), else the
    account that wrote it."""
    from db.connection import current_user

    name = (practitioner or "").split(",")[0].strip()
    return name or current_user()


def stamp(document, *, title: str, practitioner: str, service: str, now: datetime | None = None) -> None:
    """Set ``document``'s (a python-docx Document) properties as described in the module docstring."""
    when = written_at(now)
    author = author_of(practitioner)
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = author
    props.subject = service
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = when
    props.revision = 1
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == THUMBNAIL_REL:
            package.rels.pop(rid)
    app = app_xml(service)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = app
            break
