"""The split the style guide asks for: `lib` never imports awsglue; `jobs` import it only inside functions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

GLUE = Path(__file__).resolve().parents[1]
GLUE_MODULES = {"awsglue", "awsglueml"}
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def import_time_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node that runs when the module is imported: all but function and class bodies."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, SCOPES):
            yield from import_time_nodes(child)


def imported(nodes: Iterator[ast.AST]) -> set[str]:
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def sources(folder: str) -> list[Path]:
    paths = sorted((GLUE / folder).rglob("*.py"))
    assert paths, f"no modules under glue/{folder}"
    return paths


def test_lib_never_imports_glue_modules():
    for path in sources("lib"):
        assert not imported(ast.walk(ast.parse(path.read_text()))) & GLUE_MODULES, path.name


def test_jobs_import_glue_modules_only_inside_functions():
    for path in sources("jobs"):
        assert not imported(import_time_nodes(ast.parse(path.read_text()))) & GLUE_MODULES, path.name


def test_an_import_under_a_module_level_try_counts_as_import_time():
    guarded = ast.parse("try:\n    import awsglue\nexcept ImportError:\n    pass\n\ndef run():\n    import awsglueml\n")

    assert imported(import_time_nodes(guarded)) == {"awsglue"}
