"""A versioned, checksummed store of model artifacts that never unpickles.

An artifact is a set of named files in safe formats (JSON, LightGBM text models,
``.npy`` saved with ``allow_pickle=False``, skops files loaded with an explicit
trusted-type list) plus a ``manifest.json`` holding the metadata and the SHA-256
of every file. Loading verifies every checksum before handing bytes back, so a
truncated or tampered file is refused instead of half-loaded.

Layout::

    root/<kind>/<version>/manifest.json
    root/<kind>/<version>/<file>
    root/<kind>/PROMOTED          # the version served; replaced atomically

Running workers call :meth:`ModelRegistry.promoted` (one small file read) and
reload when the answer changes, so a promotion needs no restart.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class ArtifactError(Exception):
    """An artifact is missing, corrupt, or not what the caller expects."""


@dataclass(frozen=True)
class Artifact:
    kind: str
    version: str
    files: dict[str, bytes]
    metadata: dict


def _check_name(name: str, what: str) -> str:
    if not _SAFE_NAME.match(name) or name in {"manifest.json", "PROMOTED"}:
        raise ArtifactError(f"invalid {what} name: {name!r}")
    return name


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class ModelRegistry:
    """Save, list, load and promote versions of one or more model kinds."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def save(self, kind: str, files: dict[str, bytes], metadata: dict) -> str:
        """Store a new version and return its id; it is not served until promoted."""
        kind_dir = self.root / _check_name(kind, "kind")
        kind_dir.mkdir(parents=True, exist_ok=True)
        version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        staging = Path(tempfile.mkdtemp(dir=kind_dir, prefix=".staging-"))
        checksums = {}
        for name, data in files.items():
            _check_name(name, "file")
            (staging / name).write_bytes(data)
            checksums[name] = hashlib.sha256(data).hexdigest()
        manifest = {"kind": kind, "version": version, "files": checksums, "metadata": metadata}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
        os.replace(staging, kind_dir / version)
        return version

    def versions(self, kind: str) -> list[str]:
        kind_dir = self.root / _check_name(kind, "kind")
        if not kind_dir.is_dir():
            return []
        return sorted(p.name for p in kind_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def promote(self, kind: str, version: str) -> None:
        if version not in self.versions(kind):
            raise ArtifactError(f"no {kind} version {version!r}")
        _atomic_write(self.root / kind / "PROMOTED", version.encode())

    def promoted(self, kind: str) -> str | None:
        try:
            return (self.root / _check_name(kind, "kind") / "PROMOTED").read_text().strip() or None
        except FileNotFoundError:
            return None

    def load(self, kind: str, version: str | None = None) -> Artifact:
        """Return the files and metadata of ``version`` (default: the promoted one), checksums verified."""
        version = version or self.promoted(kind)
        if version is None:
            raise ArtifactError(f"no promoted {kind} model")
        directory = self.root / _check_name(kind, "kind") / _check_name(version, "version")
        try:
            manifest = json.loads((directory / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise ArtifactError(f"{kind} {version}: unreadable manifest ({exc})") from exc
        files = {}
        for name, digest in manifest.get("files", {}).items():
            try:
                data = (directory / _check_name(name, "file")).read_bytes()
            except OSError as exc:
                raise ArtifactError(f"{kind} {version}: missing file {name}") from exc
            if hashlib.sha256(data).hexdigest() != digest:
                raise ArtifactError(f"{kind} {version}: checksum mismatch in {name}")
            files[name] = data
        return Artifact(kind=kind, version=version, files=files, metadata=manifest.get("metadata", {}))
