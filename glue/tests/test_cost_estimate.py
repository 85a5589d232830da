"""glue/README.md's cost estimate sizes the Lambda and the jobs as the prod stage ships them, and its
lines add up (rates written down here, the arithmetic done independently of the README's)."""

from __future__ import annotations

import re
from pathlib import Path

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]
DPU_HOUR = 0.44
LAMBDA_GB_SECOND = 0.0000133334
LAMBDA_REQUEST = 0.20 / 1_000_000
DPU_PER_WORKER = {"G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8}
RUNS_A_DAY = {"hourly": 24, "daily": 1}
JOBS = {"curate": "CurateJob", "compact": "CompactJob", "dedupe": "DedupeJob", "segment": "SegmentJob"}


def prod_params() -> dict:
    params = cfn_yaml.loads((ROOT / "serverless.yml").read_text())["params"]
    return {**params["default"], **params["prod"]}


def resolved(value: object, params: dict) -> str:
    text = str(value)
    match = re.fullmatch(r"\$\{param:(\w+)\}", text)
    return str(params[match.group(1)]) if match else text


def estimate_rows() -> list[tuple[str, float]]:
    text = (ROOT / "glue" / "README.md").read_text()
    table = text[text.index("| streamlake (this repository)") :].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    return [(cells[0].strip(), float(re.search(r"\$(\d+\.\d\d)\b", cells[-1]).group(1))) for cells in rows]


def test_the_cost_estimate_sizes_the_ingest_lambda_and_every_job_as_prod_does():
    params = prod_params()
    jobs = cfn_yaml.loads((ROOT / "glue" / "jobs.yml").read_text())["Resources"]
    rows = dict(estimate_rows())

    lambda_rows = [(line, cost) for line, cost in rows.items() if line.startswith("ingest Lambda")]
    assert len(lambda_rows) == 1
    line, cost = lambda_rows[0]
    sizes = re.search(r"(\d+) k invocations x (\d+) s x (\d+) MB", line)
    assert sizes, f"the Lambda line names no memory size in MB: {line!r}"
    invocations, seconds, megabytes = map(int, sizes.groups())
    assert megabytes == int(params["ingestMemorySize"])
    gb_seconds = invocations * 1000 * seconds * megabytes / 1024
    assert cost == round(gb_seconds * LAMBDA_GB_SECOND + invocations * 1000 * LAMBDA_REQUEST, 2)

    for name, logical_id in JOBS.items():
        properties = jobs[logical_id]["Properties"]
        dpu = int(resolved(properties["NumberOfWorkers"], params)) * DPU_PER_WORKER[resolved(properties["WorkerType"], params)]
        [(line, cost)] = [(line, cost) for line, cost in rows.items() if line.startswith(f"{name}, ")]
        sizes = re.fullmatch(r"\w+, (hourly|daily), (\d+) DPU x (\d+) min", line)
        assert sizes, f"the {name} line names no DPU and run time: {line!r}"
        period, dpu_in_line, minutes = sizes.groups()
        assert int(dpu_in_line) == dpu, name
        assert cost == round(RUNS_A_DAY[period] * dpu * int(minutes) / 60 * DPU_HOUR, 2), name


def test_the_cost_estimate_total_is_the_sum_of_its_lines():
    rows = estimate_rows()
    *lines, (label, total) = rows

    assert label == "**total**"
    # The total adds the lines before each was rounded to the cent: off by half a cent a line at most.
    assert abs(total - sum(cost for _, cost in lines)) <= 0.005 * (len(lines) + 1)
