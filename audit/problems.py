"""What `audit_verify` finds: a problem with a row, a checkpoint or the ledger as a whole."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    what: str
    row: int | None = None
    checkpoint: int | None = None

    def __str__(self) -> str:
        if self.row is not None:
            return f"Row {self.row}: {self.what}"
        if self.checkpoint is not None:
            return f"Checkpoint {self.checkpoint}: {self.what}"
        return f"Ledger: {self.what}"


@dataclass
class Problems:
    """Counts every problem but keeps only the first few: a wrong key makes every row one."""

    keep: int = 100
    shown: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.shown) < self.keep:
            self.shown.append(problem)

    def __bool__(self) -> bool:
        return self.total > 0
