"""Build what the Glue jobs need in the artifacts bucket, mirroring its `glue/` prefix:

    <out>/glue/jobs/<job>.py     the entry-point scripts (ScriptLocation)
    <out>/glue/glue_lib.zip      the `glue` package they import (--extra-py-files)

    python glue/build_artifacts.py --out build/glue-artifacts

The zip is reproducible (sorted entries, fixed timestamps), so an unchanged build uploads nothing new.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

GLUE = Path(__file__).resolve().parent
ENTRY_POINTS = ("curate", "dedupe", "segment", "compact")
PACKAGED = ("__init__.py", "lib/*.py", "jobs/*.py")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def build(out: Path) -> list[Path]:
    """Write the scripts and the zip under `out`; returns the files written."""
    target = out / "glue"
    (target / "jobs").mkdir(parents=True, exist_ok=True)
    written = []
    for job in ENTRY_POINTS:
        written.append(Path(shutil.copyfile(GLUE / "jobs" / f"{job}.py", target / "jobs" / f"{job}.py")))
    archive = target / "glue_lib.zip"
    sources = sorted({path for pattern in PACKAGED for path in GLUE.glob(pattern)})
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for source in sources:
            entry = zipfile.ZipInfo(f"glue/{source.relative_to(GLUE).as_posix()}", FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, source.read_bytes())
    written.append(archive)
    return written


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="build_artifacts", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write into (created if absent)")
    for path in build(parser.parse_args(argv).out):
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
