"""The artifacts for the bucket: one script per job and a zip the jobs can import `glue` from."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from glue.build_artifacts import build


def test_build_writes_each_job_script_and_an_importable_reproducible_zip(tmp_path):
    first = build(tmp_path / "a")
    second = build(tmp_path / "b")

    assert [path.relative_to(tmp_path / "a").as_posix() for path in first] == [
        "glue/jobs/curate.py", "glue/jobs/dedupe.py", "glue/jobs/segment.py", "glue/jobs/compact.py", "glue/glue_lib.zip",
    ]
    names = zipfile.ZipFile(tmp_path / "a" / "glue" / "glue_lib.zip").namelist()
    assert {"glue/__init__.py", "glue/lib/curate.py", "glue/jobs/runtime.py", "glue/jobs/curate.py"} <= set(names)
    assert not [name for name in names if "tests" in name or name.endswith("local_run.py")]
    assert (tmp_path / "a" / "glue" / "glue_lib.zip").read_bytes() == (tmp_path / "b" / "glue" / "glue_lib.zip").read_bytes()
    check = "import glue.jobs.curate as c, glue.lib.matching as m; print(c.__file__)"
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(tmp_path / "a" / "glue" / "glue_lib.zip"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "glue_lib.zip" in result.stdout
