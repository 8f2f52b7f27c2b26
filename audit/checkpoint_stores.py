"""Where checkpoints are kept: somewhere append-only, outside the database.

The store is chosen by the `AUDIT_CHECKPOINTS` setting (`{"BACKEND": dotted path, "OPTIONS": {...}}`):

- `FileCheckpointStore` (the embedded default): one JSON line per checkpoint in a file under
  `var/`, only ever opened for appending (`O_APPEND`), with an exclusive lock around "read the
  newest, append the next" so two writers never both write the same sequence number.
- `StorageCheckpointStore`: one object per checkpoint in a Django storage (`STORAGES[alias]`), for
  object storage in production, for example an S3 bucket through django-storages with Object Lock
  in compliance mode, so no one (not even the service's own credentials) can change or delete a
  checkpoint before its retention ends. An object that already exists is never overwritten.
"""

import fcntl
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.module_loading import import_string


class CheckpointExists(Exception):
    """Another writer appended the checkpoint with this sequence number first."""


class CheckpointStore(ABC):
    where: str

    @abstractmethod
    def records(self) -> Iterator[str]:
        """Every checkpoint as written, oldest first."""

    @abstractmethod
    def newest(self) -> str | None:
        """The newest checkpoint, or None when there is none yet."""

    @abstractmethod
    def append(self, seq: int, record: str) -> None:
        """Add checkpoint `seq`; raise CheckpointExists if it was already written."""

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Held while the newest is read and the next appended (a no-op where the store has none)."""
        yield


class FileCheckpointStore(CheckpointStore):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.where = str(self.path)

    def records(self) -> Iterator[str]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as file:
            for line in file:
                if line.strip():
                    yield line.rstrip("\n")

    def newest(self) -> str | None:
        """Read only the file's tail: the scheduler asks every minute, the file only grows."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            block = 4096
            while True:
                start = max(0, size - block)
                file.seek(start)
                lines = [line for line in file.read().split(b"\n") if line.strip()]
                if start == 0 or len(lines) >= 2:
                    return lines[-1].decode() if lines else None
                block *= 4

    def append(self, seq: int, record: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (record + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(self.path.with_name(self.path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            os.close(lock)


class StorageCheckpointStore(CheckpointStore):
    """One object per checkpoint, named by its zero-padded sequence number so names sort in order."""

    def __init__(self, storage: str = "audit_checkpoints", prefix: str = "audit-checkpoints") -> None:
        self.storage = storages[storage]
        self.prefix = prefix.strip("/")
        self.where = f"storage {storage!r}, {self.prefix}/"
        self._newest: tuple[int, str] | None = None  # (seq, record): listing a bucket every minute is slow

    def _name(self, seq: int) -> str:
        return f"{self.prefix}/{seq:012d}.json"

    def _names(self) -> list[str]:
        try:
            _, files = self.storage.listdir(self.prefix)
        except FileNotFoundError:
            return []
        return sorted(f"{self.prefix}/{name}" for name in files if name.endswith(".json"))

    def _read(self, name: str) -> str:
        with self.storage.open(name, "rb") as file:
            return bytes(file.read()).decode().strip()

    def records(self) -> Iterator[str]:
        for name in self._names():
            yield self._read(name)

    def newest(self) -> str | None:
        if self._newest is not None and not self.storage.exists(self._name(self._newest[0] + 1)):
            return self._newest[1]
        names = self._names()
        if not names:
            return None
        self._newest = (int(names[-1].rsplit("/", 1)[-1].removesuffix(".json")), self._read(names[-1]))
        return self._newest[1]

    def append(self, seq: int, record: str) -> None:
        name = self._name(seq)
        if self.storage.exists(name):
            raise CheckpointExists(name)
        saved = self.storage.save(name, ContentFile(record.encode()))
        if saved != name:  # the storage chose another name: someone wrote this one meanwhile
            self.storage.delete(saved)
            raise CheckpointExists(name)
        self._newest = (seq, record)


def checkpoint_store() -> CheckpointStore:
    config: dict[str, Any] = settings.AUDIT_CHECKPOINTS
    backend = import_string(config["BACKEND"])
    store: CheckpointStore = backend(**config.get("OPTIONS", {}))
    return store
