"""The Windows version resource, so Explorer's Properties > Details shows testlearn's version."""

from __future__ import annotations

from pathlib import Path

_TEMPLATE = """VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080904B0', [
      StringStruct('CompanyName', 'testlearn'),
      StringStruct('FileDescription', 'testlearn: test-and-learn procurement pilots'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'testlearn'),
      StringStruct('OriginalFilename', 'testlearn.exe'),
      StringStruct('ProductName', 'testlearn'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
"""


def write_version_file(path: Path, version: str) -> None:
    """PyInstaller's version-file format; four numbers, so 0.1.0 becomes (0, 1, 0, 0)."""
    parts = [int(part) for part in version.split("+")[0].split(".")[:4] if part.isdigit()]
    numbers = tuple([*parts, 0, 0, 0, 0][:4])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_TEMPLATE.format(numbers=numbers, version=version), encoding="utf-8")
