"""Evidence files of incidents: size limit, type allow-list by magic bytes, storage on disk.

Files live under ``VETTING_EVIDENCE_DIR`` (default ``instance/evidence``) with a random name;
the original name is kept only as a label. A file is accepted only when its first bytes are
those of a PDF, JPEG or PNG *and* its extension agrees; anything else is refused with a message
naming the problem. A file whose bytes also carry HTML or script (a polyglot that a browser
could sniff and run) is refused too, and downloads go out as attachments with ``nosniff`` and a
sandboxing policy. Writes are atomic (temporary file + rename) and the caller deletes the
stored files again if the database transaction fails, so nothing is half-written.
"""
from __future__ import annotations


import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..errors import DomainError

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_FILES_PER_INCIDENT = 5
# type -> (magic prefix, allowed extensions, content type)
ALLOWED = {
    "pdf": (b"%PDF-", {".pdf"}, "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", {".png"}, "image/png"),
    "jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}, "image/jpeg"),
}


# markup or script a browser would run if it sniffed the file as HTML, and PDF actions that run
# code; every pattern is long enough that compressed image data matches it by chance about once
# in ten thousand 5 MB files
ACTIVE_CONTENT = re.compile(rb"<\s*(?:!doctype\s+html|html|body|script|iframe|object|embed)\b|<svg[\s>]"
                            rb"|javascript:|vbscript:|/JavaScript\b|/Launch\b", re.IGNORECASE)
DOWNLOAD_POLICY = "default-src 'none'; sandbox"



@dataclass
class CheckedFile:
    original_name: str
    data: bytes
    kind: str
    content_type: str
    sha256: str

    @property
    def extension(self) -> str:
        return ".jpg" if self.kind == "jpeg" else f".{self.kind}"


def evidence_dir() -> Path:
    return Path(current_app.config.get("VETTING_EVIDENCE_DIR")
                or os.path.join(current_app.instance_path, "evidence"))


def _safe_label(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip() or "file"
    return re.sub(r"[^\w.\- ]", "_", base)[:200]


def check_file(name: str, data: bytes) -> CheckedFile:
    label = _safe_label(name)
    if not data:
        raise DomainError("invalid_evidence", "{name}: the file is empty.", field="evidence", params={"name": label})
    if len(data) > MAX_EVIDENCE_BYTES:
        raise DomainError("invalid_evidence", "{name}: the file is larger than {mb} MB.", field="evidence",
                          params={"name": label, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)})
    ext = os.path.splitext(label)[1].lower()
    for kind, (magic, exts, ctype) in ALLOWED.items():
        if data.startswith(magic):
            if ext not in exts:
                raise DomainError("invalid_evidence", "{name}: the content is {kind} but the name ends in {ending}.",
                                  field="evidence",
                                  params={"name": label, "kind": kind.upper(), "ending": ext or "nothing"})
            if ACTIVE_CONTENT.search(data):
                raise DomainError("invalid_evidence",
                                  "{label}: the file also contains HTML or script, which is not accepted as evidence",
                                  field="evidence", params={"label": label})
            return CheckedFile(label, data, kind, ctype, hashlib.sha256(data).hexdigest())
    raise DomainError("invalid_evidence", "{name}: only PDF, JPEG and PNG files are accepted.", field="evidence",
                      params={"name": label})


def read_upload(storage) -> CheckedFile:
    """Read a werkzeug ``FileStorage`` (at most one byte over the limit) and check it."""
    data = storage.stream.read(MAX_EVIDENCE_BYTES + 1)
    return check_file(storage.filename or "file", data)


def store(checked: CheckedFile) -> str:
    """Write the file under a random name; returns the stored name."""
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + checked.extension
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(checked.data)
        os.replace(tmp, directory / stored)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return stored


def discard(stored_names: list[str]) -> None:
    for name in stored_names:
        try:
            (evidence_dir() / name).unlink()
        except FileNotFoundError:
            pass


def path_of(stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|png|jpg)", stored_name):
        raise DomainError("invalid_evidence", "invalid stored name", field="evidence")
    return evidence_dir() / stored_name


def download(session, actor, file_id: int):
    """The evidence file as a download for the board or staff (audited), or ``None`` when not theirs to see."""
    from flask import send_file

    from .access import can_review_association
    from .records import EvidenceFile, Incident
    from .audit import audit

    f = session.get(EvidenceFile, file_id)
    incident = session.get(Incident, f.incident_id) if f else None
    if f is None or not can_review_association(actor, incident.association_id):
        return None
    audit(session, actor, "evidence_downloaded", incident.association_id, incident.subject_id,
          file_id=f.id, incident_id=incident.id)
    session.commit()
    response = send_file(path_of(f.stored_name), mimetype=f.content_type, as_attachment=True,
                         download_name=f.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response
