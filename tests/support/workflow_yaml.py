"""Read a GitHub Actions workflow into dicts and lists, for tests that check what it does.

The project has no YAML library (nothing at run time reads YAML), so this reads the block
style the workflows are written in: mappings, sequences (of scalars or of mappings), `|`
block scalars, `[a, b]` flow lists, quoted and plain scalars, and comments. Anything else,
or a line it cannot place, is an error naming the line, so a workflow written otherwise makes
the tests fail rather than be read wrongly. Scalars stay strings, as GitHub reads most of
them (`python-version: "3.11"`), except `true` and `false`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

KEY = re.compile(r"([A-Za-z0-9_.-]+):(?: +|$)(.*)$")


class WorkflowSyntax(ValueError):
    pass


class _Reader:
    def __init__(self, text: str, name: str) -> None:
        self.name = name
        # [line number, indent, text], blank and comment-only lines kept for block scalars.
        self.lines: list[list[Any]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise self.error(number, "indented with a tab")
            self.lines.append([number, len(line) - len(line.lstrip(" ")), line.strip()])
        self.at = 0

    def error(self, number: int, problem: str) -> WorkflowSyntax:
        return WorkflowSyntax(f"{self.name}, line {number}: {problem}")

    def skip_blank(self) -> None:
        while self.at < len(self.lines) and _blank(self.lines[self.at][2]):
            self.at += 1

    def peek(self) -> list[Any] | None:
        self.skip_blank()
        return self.lines[self.at] if self.at < len(self.lines) else None

    def block(self, indent: int) -> Any:
        line = self.peek()
        if line is None or line[1] < indent:
            return None
        if line[2] == "-" or line[2].startswith("- "):
            return self.sequence(line[1])
        return self.mapping(line[1])

    def mapping(self, indent: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        while (line := self.peek()) is not None and line[1] == indent:
            number, _, text = line
            if text.startswith("- "):
                break
            match = KEY.fullmatch(text)
            if match is None:
                raise self.error(number, f"expected 'key: value', found {text!r}")
            key, rest = match.group(1), _without_comment(match.group(2))
            if key in found:
                raise self.error(number, f"{key!r} given twice")
            self.at += 1
            if rest in ("|", "|-"):
                found[key] = self.block_scalar(indent, keep_last_newline=rest == "|")
            elif rest:
                found[key] = _scalar(rest, self.error, number)
            else:
                following = self.peek()
                nested = following is not None and (
                    following[1] > indent
                    or (following[1] == indent and following[2].startswith("- "))
                )
                found[key] = self.block(following[1]) if nested and following else None
        line = self.peek()
        if line is not None and line[1] > indent:
            raise self.error(line[0], "indented more than the lines before it")
        return found

    def sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while (line := self.peek()) is not None and line[1] == indent:
            number, _, text = line
            if not (text == "-" or text.startswith("- ")):
                break
            item = text[1:].strip()
            if KEY.fullmatch(item):
                # "- key: value" opens a mapping two columns further in.
                line[1], line[2] = indent + 2, item
                items.append(self.mapping(indent + 2))
            elif item:
                self.at += 1
                items.append(_scalar(_without_comment(item), self.error, number))
            else:
                self.at += 1
                items.append(self.block(indent + 1))
        return items

    def block_scalar(self, indent: int, *, keep_last_newline: bool) -> str:
        start = self.at
        while self.at < len(self.lines) and (
            self.lines[self.at][1] > indent or not self.lines[self.at][2]
        ):
            self.at += 1
        body = self.lines[start : self.at]
        while body and not body[-1][2]:
            body.pop()
        self.at = start + len(body)
        if not body:
            return ""
        inner = min(line[1] for line in body if line[2])
        text = "\n".join(" " * (line[1] - inner) + line[2] if line[2] else "" for line in body)
        return text + "\n" if keep_last_newline else text


def read_workflow(path: Path) -> dict[str, Any]:
    reader = _Reader(path.read_text(encoding="utf-8"), path.name)
    document = reader.block(0)
    left = reader.peek()
    if left is not None:
        raise reader.error(left[0], "not part of the document above it")
    if not isinstance(document, dict):
        raise WorkflowSyntax(f"{path.name}: not a mapping at the top")
    return document


def _blank(text: str) -> bool:
    return not text or text.startswith("#")


def _without_comment(text: str) -> str:
    if text[:1] in "\"'[":
        return text
    return re.sub(r"\s+#.*$", "", text).strip()


def _scalar(text: str, error: Callable[[int, str], WorkflowSyntax], number: int) -> Any:
    if text.startswith('"'):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise error(number, f"a double-quoted value that does not close: {text}") from None
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            raise error(number, f"a single-quoted value that does not close: {text}")
        return text[1:-1].replace("''", "'")
    if text.startswith("["):
        if not text.endswith("]"):
            raise error(number, f"a [list] that does not close: {text}")
        inside = text[1:-1].strip()
        return (
            [_scalar(part.strip(), error, number) for part in inside.split(",")] if inside else []
        )
    if text.startswith(("{", "&", "*", "!", ">")):
        raise error(number, f"YAML these tests do not read: {text}")
    return {"true": True, "false": False}.get(text, text)
