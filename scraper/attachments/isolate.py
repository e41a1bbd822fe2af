"""Read a document in its own process under `Limits`: a hostile or broken file costs its one
error, never the caller. A worker past its time is killed with its children (its own session)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from scraper.attachments.kinds import sniff
from scraper.attachments.result import Reading
from scraper.attachments.worker import Limits

# tesseract's OpenMP threads: one per document, the pool decides the parallelism
WORKER_ENV = {"OMP_THREAD_LIMIT": "1", "PYTHONDONTWRITEBYTECODE": "1"}
REPO_ROOT = Path(__file__).resolve().parents[2]


def read_isolated(data: bytes, limits: Limits = Limits()) -> Reading:
    with tempfile.TemporaryDirectory(prefix="archiwum-attachment-") as work:
        path = Path(work) / "document"
        path.write_bytes(data)
        return run_worker(path, limits, sniff(data))


def run_worker(path: Path, limits: Limits, kind: str = "unknown") -> Reading:
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.attachments.worker", str(path), limits.as_argument()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=REPO_ROOT,
        env=os.environ | WORKER_ENV)
    try:
        out, err = process.communicate(timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return Reading(kind, error=f"took longer than the limit of {limits.seconds:g} s")
    if process.returncode != 0:
        return Reading(kind, error=failure(process.returncode, err.decode("utf-8", "replace"), limits))
    try:
        return Reading.from_json(json.loads(out))
    except (ValueError, KeyError, TypeError):
        return Reading(kind, error="the reader gave no result")


def failure(code: int, stderr: str, limits: Limits) -> str:
    if code in (-signal.SIGXCPU, -signal.SIGKILL) or "SIGXCPU" in stderr:
        return f"took longer than the limit of {limits.seconds:g} s of CPU"
    if "MemoryError" in stderr or "std::bad_alloc" in stderr or code == -signal.SIGSEGV:
        return f"needed more than the memory limit of {limits.memory_mb} MB"
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return f"the reader failed ({lines[-1][:200] if lines else f'exit status {code}'})"
