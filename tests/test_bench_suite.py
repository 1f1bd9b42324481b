"""The benchmark suite runs end to end in smoke mode and writes its JSON and markdown.

No timing is asserted here: speed is shown by the benchmarks themselves, never by unit tests.
"""

import json

from bench.run import main


def test_the_suite_runs_every_benchmark_and_writes_json_and_docs(tmp_path, capsys):
    out_json, out_md = tmp_path / "latest.json", tmp_path / "benchmarks.md"
    assert main(["--smoke", "--json", str(out_json), "--docs", str(out_md)]) == 0
    report = json.loads(out_json.read_text())
    assert report["mode"] == "smoke"
    assert report["machine"]["cores"] >= 1 and report["machine"]["python"]
    assert "numpy" in report["machine"]["packages"]
    ingest = report["benchmarks"]["ingest"]
    assert "error" not in ingest
    names = {f["name"]: f for f in ingest["figures"]}
    client = next(f for n, f in names.items() if n.startswith("client: SUB"))
    assert client["value"] > 0 and client["baseline_value"] > 0 and client["ratio"] > 0
    assert client["unit"] == "samples/s"
    doc = out_md.read_text()
    assert "## ingest" in doc and "python -m bench" in doc
    assert "ingest" in capsys.readouterr().out
