"""Small disks for the reliability tests: the `tmpfs` fixture (conftest.py) mounts them."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

Mount = Callable[..., Path]
"""`mount(size="2m") -> folder`: what the `tmpfs` fixture returns."""


def remount(folder: Path, mode: str) -> None:
    """Remount a tmpfs from the `tmpfs` fixture read-only ("ro") or writable ("rw")."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)
