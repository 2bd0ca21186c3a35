"""Verifying the examples in-process against the same commands through the real `aws` and moto's server.

    python bench/examples.py [--runs N]

In one process:

1. in-process: every example verified as the suite verifies it (`handbook.examples.verify`:
   awscli parse and model checks, setup, the run against moto extended by handbook.simulation,
   the comparison with the recorded output; JSON, SQL and log checks). One cold run (service
   models load), then N warm runs; the median is the figure. The CLI examples alone are timed
   too, for the comparison below.
2. server path: the same CLI commands, each after the same setup, run by the real `aws`
   executable (.venv/bin/aws, a new process each, as a reader runs it) against moto's server on
   127.0.0.1 (`ThreadedMotoServer`, the WSGI app `moto_server` serves, in this process so that
   it serves the state the setup made and the handbook.simulation extensions). The `aws`
   processes get AWS_ENDPOINT_URL, AWS_MAX_ATTEMPTS=1, fake credentials, no config files and a
   proxy that goes nowhere except loopback (NO_PROXY), so nothing else can be reached.

Prints the medians, the ratio (target: all examples in 3 s or less warm, at least 8x faster
than the server path) and how many server-path outputs equal the recorded ones after the
reviewed normalisations. A report, not a test: nothing is asserted.
"""

from __future__ import annotations

from handbook import aws  # noqa: I001  first: awscli must be imported before botocore, boto3 and moto

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from moto.server import ThreadedMotoServer

from handbook import snippets
from handbook.examples import cli, fixtures, recording, status, verify

ROOT = Path(__file__).resolve().parent.parent
AWS = Path(sys.executable).with_name("aws")


def in_process(project: verify.Project, examples: list[snippets.Snippet]) -> tuple[float, int]:
    """Seconds to verify `examples`, and how many failed."""
    start = time.perf_counter()
    failed = sum(any(f.status == "error" for f in verify.snippet(s, project)) for s in examples)
    return time.perf_counter() - start, failed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(port: int, scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(aws.ENVIRONMENT)
    env.update({
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_MAX_ATTEMPTS": "1",  # an operation the server lacks fails at once instead of retrying
        "AWS_CONFIG_FILE": str(scratch / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "no-credentials"),
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",  # nowhere ...
        "NO_PROXY": "127.0.0.1,localhost",  # ... except loopback
    })
    return env


def server_path(project: verify.Project, commands: list[snippets.Snippet], port: int) -> tuple[float, int, int]:
    """Seconds to set up and run `commands` with the aws executable; (seconds, failed, outputs equal)."""
    runner = project.runner
    failed = same = 0
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as scratch:
        env = server_environment(port, Path(scratch))
        start = time.perf_counter()
        for example in commands:
            declarations = example.declarations
            prepared = cli.prepare(example.text, path=str(example.file), placeholders=project.placeholders,
                                   declarations=declarations, files=cli.sibling_files(example))
            mock = aws.mock()
            mock.start(reset=True)  # a fresh account, as in-process; the setup lands in moto's backends ...
            try:
                fixtures.run_setup(fixtures.setup_steps(declarations, example.sidecar(".yml")), runner,
                                   where=example.sidecar(".yml"))
            finally:
                mock.stop(remove_data=False)  # ... which the server thread then serves
            done = subprocess.run([str(AWS), *prepared.words[1:]], env=env, cwd=scratch, capture_output=True,
                                  timeout=120)
            failed += done.returncode != 0
            printed = done.stdout.decode("utf-8")  # as bytes: text mode would turn s3 cp's \r into \n
            if example.output.exists():
                same += cli.normalise(printed) == cli.normalise(recording.read(example.output))
        return time.perf_counter() - start, failed, same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="warm runs of each path (default 3)")
    args = parser.parse_args()

    project = verify.Project(ROOT / "snippets", ROOT / "docs")
    examples = snippets.find(ROOT / "snippets")
    commands = [s for s in examples if s.kind == "cli" and not status.is_shell(s, s.declarations)
                and s.ref not in project.model_only]

    cold, cold_failed = in_process(project, examples)
    warm, warm_cli = [], []
    for _ in range(args.runs):
        seconds, failed = in_process(project, examples)
        warm.append(seconds)
        warm_cli.append(in_process(project, commands)[0])

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        server_path(project, commands[:1], port)  # the server's routes and the aws executable's first load
        runs = [server_path(project, commands, port) for _ in range(args.runs)]
    finally:
        server.stop()
    served = [r[0] for r in runs]
    _, server_failed, same = runs[-1]

    all_warm, cli_warm, server = statistics.median(warm), statistics.median(warm_cli), statistics.median(served)
    print(f"examples: {len(examples)} ({len(commands)} aws commands run against simulated AWS)")
    print(f"in-process, cold            {cold:6.2f} s  (first run: service models load; {cold_failed} failed)")
    print(f"in-process, all examples    {all_warm:6.2f} s  median of {args.runs} warm runs "
          f"({'within' if all_warm <= 3 else 'OVER'} the 3 s target; {failed} failed)")
    print(f"in-process, aws commands    {cli_warm:6.2f} s  median of {args.runs} warm runs")
    print(f"server path, aws commands   {server:6.2f} s  median of {args.runs} runs: {AWS.name} executable + "
          f"moto server on 127.0.0.1 ({server_failed} failed; {same} of {len(commands)} outputs equal "
          "the recorded ones)")
    ratio = server / cli_warm
    print(f"ratio                       {ratio:6.1f}x  server path / in-process, same commands "
          f"({'meets' if ratio >= 8 else 'BELOW'} the 8x target); {server / all_warm:.1f}x against all examples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
