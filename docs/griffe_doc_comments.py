"""A griffe extension: ``#:`` comments document the attribute below them, as Sphinx reads them.

The package documents attributes, attrs fields and enum members with ``#:`` comments (which
Sphinx's autodoc and IDEs read); griffe reads only docstrings. This turns the comment lines
right above an attribute (or a ``#:`` comment at the end of its line) into its docstring.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

_MARK = "#:"


class DocComments(griffe.Extension):
    """Give an attribute without a docstring the ``#:`` comment written for it."""

    def on_attribute_instance(
        self, *, node: ast.AST | griffe.ObjectNode, attr: griffe.Attribute, **kwargs: Any
    ) -> None:
        """Read the comment above (or beside) the attribute's first line."""
        if attr.docstring is not None or not isinstance(node, ast.AST) or attr.lineno is None:
            return
        try:
            lines = attr.lines_collection[attr.filepath]  # type: ignore[index]
        except (KeyError, TypeError):
            return
        first = attr.lineno - 1
        comment = []
        index = first - 1
        while index >= 0 and lines[index].strip().startswith(_MARK):
            comment.insert(0, lines[index].strip()[len(_MARK) :].strip())
            index -= 1
        if not comment and _MARK in lines[first]:
            comment = [lines[first].split(_MARK, 1)[1].strip()]
        if comment:
            attr.docstring = griffe.Docstring(
                "\n".join(comment), lineno=index + 2, endlineno=first, parent=attr
            )
