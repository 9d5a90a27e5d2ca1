"""Reading files that come from outside, within limits (ADR 0080).

A file from a visitor or an import is read in two steps, so that no file can make the web
process run out of memory or time:

1. :func:`inspect` looks at the container before any parser sees it: the file size; for ZIP
   containers (DOCX, XLSX, OFD) the number of members, their declared unpacked sizes (binding:
   ``zipfile`` refuses a member whose data runs past its declared size), the unpacked size of the
   XML parts, each member's compression ratio, and the number of table cells, counted by a
   streaming scan that stops at the cap. It answers at once with a Chinese sentence.
2. :func:`run_limited` runs the parser in a child process with a CPU-time and an address-space
   limit and waits at most a wall time; a child that overruns is killed. The children come from
   a fork server started once per process (``multiprocessing`` "forkserver"), so a call costs a
   fork, not an interpreter start.

Nothing here imports Django: the limits are arguments, chosen by the entry point.
"""

from __future__ import annotations

import io
import multiprocessing
import pickle
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

MB = 1024 * 1024


class FileRefused(ValueError):
    """The file is beyond a limit or cannot be read; the message is Chinese, for the user."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB  # the file as uploaded
    max_unpacked_bytes: int = 200 * MB  # all members of a ZIP container, as declared
    max_xml_bytes: int = 60 * MB  # the XML members, which parsers hold in memory
    max_members: int = 5000
    max_ratio: int = 100  # unpacked/packed of one member larger than 1 MB
    max_cells: int = 1_000_000  # spreadsheet cells (XLSX) and table cells (DOCX)
    wall_seconds: float = 60.0
    cpu_seconds: int = 60
    memory_bytes: int = 1536 * MB
    max_result_bytes: int = 64 * MB

    def with_max_bytes(self, max_bytes: int) -> Limits:
        return replace(self, max_bytes=max_bytes)


# An annual report is a few hundred cells; a page saved from a site is small. The checker
# answers a visitor who waits: whatever it cannot read in 4 s it refuses (ADR 0080).
REPORT_CHECK = Limits(
    max_unpacked_bytes=60 * MB,
    max_xml_bytes=20 * MB,
    max_cells=20_000,
    wall_seconds=4.0,
    cpu_seconds=4,
    memory_bytes=1024 * MB,
    max_result_bytes=16 * MB,
)
# Attachments, letters' attachments and files scanned for personal data.
DOCUMENT = Limits()
# The structure of an uploaded PDF, read to find script in it.
PDF_CHECK = Limits(wall_seconds=15.0, cpu_seconds=15, memory_bytes=1024 * MB, max_result_bytes=MB)
# Imports read rows as a stream (openpyxl read-only); a directory may hold a million rows.
IMPORT = Limits(
    max_bytes=200 * MB,
    max_unpacked_bytes=2048 * MB,
    max_xml_bytes=2048 * MB,
    max_ratio=200,
    max_cells=30_000_000,
)

_MEGABYTES = "{:.0f}MB".format
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CELL_PATTERNS = {
    # a spreadsheet cell <c …> or <x:c …>; a Word table cell <w:tc …>
    "xl/worksheets/": re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]"),
    "word/": re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?tc[\s/>]"),
}
_CHUNK = 1 * MB
_OVERLAP = 64


def _mb(n: int) -> str:
    return _MEGABYTES(n / MB) if n >= MB else f"{n // 1024}KB"


def inspect(name: str, data: bytes, limits: Limits) -> None:
    """Raise FileRefused when ``data`` is beyond ``limits``; parse nothing."""
    display = PurePath(name or "文件").name[:100]
    if len(data) > limits.max_bytes:
        raise FileRefused(
            f"文件“{display}”大小为{_mb(len(data))}，超过{_mb(limits.max_bytes)}的上限"
        )
    if data[:4] != b"PK\x03\x04":
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable ZIP: the parser says so in its own words
    with archive:
        _inspect_zip(display, archive, limits)


def _inspect_zip(display: str, archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise FileRefused(
            f"文件“{display}”包含{len(members)}个内部文件，超过{limits.max_members}个的上限"
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise FileRefused(
            f"文件“{display}”解压后为{_mb(unpacked)}，超过{_mb(limits.max_unpacked_bytes)}的上限"
        )
    xml = sum(m.file_size for m in members if m.filename.lower().endswith(_XML_SUFFIXES))
    if xml > limits.max_xml_bytes:
        raise FileRefused(
            f"文件“{display}”的文字与表格部分解压后为{_mb(xml)}，"
            f"超过{_mb(limits.max_xml_bytes)}的上限"
        )
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > MB and member.file_size / packed > limits.max_ratio:
            raise FileRefused(
                f"文件“{display}”的内部文件“{member.filename[:60]}”压缩比为"
                f"{member.file_size // packed}:1，疑似压缩炸弹，已拒绝"
            )
    cells = 0
    for member in members:
        pattern = next(
            (p for prefix, p in _CELL_PATTERNS.items() if member.filename.startswith(prefix)),
            None,
        )
        if pattern is None or not member.filename.endswith(".xml"):
            continue
        cells = _count(archive, member, pattern, cells, limits.max_cells)
        if cells > limits.max_cells:
            raise FileRefused(
                f"文件“{display}”的表格单元格超过{limits.max_cells:,}个的上限，请拆分后再上传"
            )


def _count(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    pattern: re.Pattern[bytes],
    start: int,
    cap: int,
) -> int:
    """Cells in one member, added to ``start``; stops reading once past ``cap``."""
    count = start
    tail = b""
    try:
        with archive.open(member) as stream:
            while count <= cap:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                window = tail + chunk
                # a match is counted in the chunk where it ends: skip those inside the overlap
                count += sum(1 for m in pattern.finditer(window) if m.end() > len(tail))
                tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise FileRefused(f"文件已损坏：内部文件“{member.filename[:60]}”无法解压") from exc
    return count


# the child process -----------------------------------------------------------------------------

_PRELOAD = [
    "gongkai.documents.extract",
    "gongkai.documents.sniff",
    "gongkai.apps.reporting.checker_files",
    "openpyxl",
    "docx",
    "pypdf",
    "lxml.etree",
]
_context: Any = None


def _mp_context() -> Any:
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        _context = context
    return _context


def warm_up() -> None:
    """Start the fork server now (it imports the parsers once, ~1–2 s), so that the first
    upload a server process reads does not wait for it. Safe to call more than once."""
    from multiprocessing import forkserver

    _mp_context()
    forkserver.ensure_running()


def _child(conn: Any, func: Callable[..., Any], args: tuple[Any, ...], limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    try:
        outcome: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:  # handed to the parent, which raises it there
        outcome = ("raise", exc)
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    except Exception:
        payload = pickle.dumps(("error", repr(outcome[1])[:500]))
    if len(payload) > limits.max_result_bytes:
        payload = pickle.dumps(("too_big", len(payload)))
    conn.send_bytes(payload)
    conn.close()


def run_limited(func: Callable[..., Any], *args: Any, limits: Limits, what: str = "文件") -> Any:
    """``func(*args)`` in a child process within ``limits``; its exceptions are raised here.

    ``func`` must be a module-level function (it is pickled by name) and must not need Django.
    Beyond a limit: FileRefused with a Chinese sentence naming ``what``.
    """
    context = _mp_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args, limits), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.wall_seconds):
            raise FileRefused(
                f"读取{what}超过{limits.wall_seconds:.0f}秒仍未完成，已停止：文件过于复杂，"
                "请简化或拆分后再试"
            )
        try:
            payload = receiver.recv_bytes(limits.max_result_bytes + 1024)
        except (EOFError, OSError) as exc:
            raise FileRefused(_died_message(what, process, limits)) from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    kind, value = pickle.loads(payload)
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    if kind == "memory":
        raise FileRefused(
            f"读取{what}所需内存超过{_mb(limits.memory_bytes)}的上限，已停止：请简化或拆分后再试"
        )
    if kind == "too_big":
        raise FileRefused(f"{what}中的文字过多（超过{_mb(limits.max_result_bytes)}），已停止")
    raise FileRefused(f"无法读取{what}：{value}")


def _died_message(what: str, process: Any, limits: Limits) -> str:
    process.join(5)
    code = process.exitcode
    if code is not None and code < 0:
        # SIGXCPU or SIGKILL: the CPU limit; SIGSEGV/SIGABRT: usually an allocation that failed
        return f"读取{what}超过{limits.cpu_seconds}秒CPU时间或内存上限，已停止：请简化或拆分后再试"
    return f"无法读取{what}：读取过程意外中止"


def read_limited(
    func: Callable[..., Any], name: str, data: bytes, *args: Any, limits: Limits, what: str = ""
) -> Any:
    """:func:`inspect`, then ``func(name, data, *args)`` through :func:`run_limited`."""
    inspect(name, data, limits)
    label = what or f"文件“{PurePath(name or '文件').name[:100]}”"
    return run_limited(func, name, data, *args, limits=limits, what=label)
