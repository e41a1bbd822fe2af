"""One document read in a process of its own: `python -m scraper.attachments.worker FILE LIMITS`
(LIMITS: the JSON of a `Limits`) prints the `Reading` as JSON.

The process limits itself before it reads anything (virtual memory, CPU seconds, size of files it
writes); poppler, tesseract and xls2csv, its children, inherit the limits. What kills it — a limit, a
crash in a parser — ends this one document; `isolate.py` turns that into the document's error.
"""
from __future__ import annotations

import json
import resource
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from scraper.attachments import kinds, legacy, office
from scraper.attachments.ocr import ocr_image
from scraper.attachments.pdf import pdf_reading
from scraper.attachments.result import DocumentError, Reading

MEMORY_SIGNS = ("failed to map segment", "cannot allocate memory", "bad_alloc", "out of memory")
KIND_NAMES = {"doc": "a Word 97-2003 file", "ole": "an OLE file that is no Word or Excel document",
              "unknown": "not a document Archiwum reads"}


@dataclass(frozen=True)
class Limits:
    seconds: float = 300.0         # wall clock for the document (the parent kills past it)
    memory_mb: int = 1536          # virtual memory (RLIMIT_AS) of the worker and of each of its children
    max_pages: int = 2000          # pages of a PDF
    max_ocr_pages: int = 50        # scanned pages read by OCR in one document
    max_unpacked_mb: int = 100     # uncompressed bytes of a DOCX/ODT/XLSX/ODS
    dpi: int = 300                 # page images for OCR

    def as_argument(self) -> str:
        return json.dumps(asdict(self))


def limit_self(limits: Limits) -> None:
    memory = limits.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    written = 512 * 2**20  # page images and temporary files
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read_document(path: Path, limits: Limits) -> Reading:
    data = path.read_bytes()
    kind = kinds.sniff(data)
    unpacked = limits.max_unpacked_mb * 2**20
    try:
        if kind == "pdf":
            return pdf_reading(path, limits.max_pages, limits.max_ocr_pages, limits.dpi)
        if kind == "image":
            return Reading(kind, 1, [ocr_image(path, 1)])
        if kind == "xls":
            pages = legacy.xls_text(path)
            return Reading(kind, max((p.page for p in pages), default=0), pages)
        readers = {"docx": office.docx_text, "odt": office.odt_text, "xlsx": office.xlsx_text,
                   "ods": office.ods_text, "rtf": office.rtf_text}
        if kind in readers:
            pages = readers[kind](data, unpacked)
            return Reading(kind, max((p.page for p in pages), default=0), pages)
        raise DocumentError(f"unsupported format: {KIND_NAMES.get(kind, kind)}")
    except DocumentError as error:
        return Reading(kind, error=memory_limit(str(error), limits))
    except FileNotFoundError as error:  # poppler-utils or tesseract not installed
        return Reading(kind, error=f"{Path(error.filename or 'a reader').name} is not installed "
                                   "(scripts/install-system-packages installs it)")
    except MemoryError:
        return Reading(kind, error=f"needed more than the memory limit of {limits.memory_mb} MB")
    except RecursionError:
        return Reading(kind, error="nested too deeply to read")


def memory_limit(message: str, limits: Limits) -> str:
    """A child (poppler, tesseract) that failed for want of memory says so in its own words."""
    if any(sign in message.lower() for sign in MEMORY_SIGNS):
        return f"needed more than the memory limit of {limits.memory_mb} MB ({message})"
    return message


def main(argv: list[str]) -> int:
    path, limits = Path(argv[0]), Limits(**json.loads(argv[1]))
    limit_self(limits)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        copy = Path(work) / "document"
        copy.symlink_to(path.resolve())
        reading = read_document(copy, limits)
    json.dump(reading.as_json(), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
