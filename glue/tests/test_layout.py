"""The split the style guide asks for: `lib` never imports awsglue; `jobs` import it only inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

GLUE = Path(__file__).resolve().parents[1]
GLUE_MODULES = ("awsglue", "awsglueml")


def imported(tree: ast.AST, top_level_only: bool) -> set[str]:
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_lib_never_imports_glue_modules():
    for path in sorted((GLUE / "lib").glob("*.py")):
        assert not imported(ast.parse(path.read_text()), top_level_only=False) & set(GLUE_MODULES), path.name


def test_jobs_import_glue_modules_only_inside_functions():
    for path in sorted((GLUE / "jobs").glob("*.py")):
        assert not imported(ast.parse(path.read_text()), top_level_only=True) & set(GLUE_MODULES), path.name
