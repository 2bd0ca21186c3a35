"""What every cold start of `handbook check` computes the same way, computed once at set-up.

A cold check spends most of its second importing awscli and reading its models (bench/runbook.py).
Two parts of that are the same at every start, whatever the runbook:

- botocore's JSON models: a 20-command runbook reads 12 MB of them, 0.15 s to decode; kept as
  pickles they load in half the time;
- the regular expressions that modules compile as they are imported (~300, 0.1 s): kept as what
  `re` hands to `_sre.compile` for them, so that only `_sre.compile` runs;
- with each service's model, botocore's names for its operations and their parameters as awscli
  and botocore write them (`xform_name`: describe-instances, describe_instances; ~5,600 for the
  runbook, 0.04 s), which go into botocore's own cache of them when the model is read.

`python -m handbook.prebuilt` (run by `make`) writes them into the venv, in a folder named for
the Python and awscli versions it was built for. `use()`, which the `handbook` command calls
first, reads them. A model's pickle serves only while its JSON file has the size and modification
time it had when it was pickled; a pattern that was not kept is compiled as always; without the
folder, or with a damaged file in it, everything is computed as before. What either gives is
what the JSON or `re` would give: tests/test_prebuilt.py compares them.
"""

from __future__ import annotations

import marshal
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import _sre

PATTERNS = "patterns.marshal"
MODELS = "models"
_original_compile = re._compiler.compile
_patterns: dict = {}
_models: Path | None = None
_read: Path | None = None  # the folder read last


def folder() -> Path:
    """Where the prebuilt files of this Python and this awscli live (in the venv)."""
    import awscli  # its __init__ is light; importlib.metadata would scan every package

    return (Path(sys.prefix) / "share" / "handbook-prebuilt"
            / f"{sys.implementation.cache_tag}-sre{_sre.MAGIC}-awscli{awscli.__version__}")


def use(where: Path | None = None) -> None:
    """Read what was prebuilt in `where` (default: for this Python and awscli), if it was."""
    global _patterns, _models, _read
    where = where or folder()
    if _read != where:
        try:
            _patterns = marshal.loads((where / PATTERNS).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):  # not built, or damaged: compiled as always
            _patterns = {}
        _models = where / MODELS if (where / MODELS).is_dir() else None
        _read = where
    re._compiler.compile = _compile


def _compile(p, flags=0):
    """`re`'s compiler, skipped for a pattern compiled at set-up with the same flags."""
    if _patterns and isinstance(p, (str, bytes)):
        kept = _patterns.get((type(p) is bytes, p, int(flags)))
        if kept is not None:
            try:
                return _sre.compile(p, *kept)
            except (TypeError, ValueError, RuntimeError):  # a damaged entry: compiled as always
                pass
    return _original_compile(p, flags)


def model(full_path: str) -> tuple[object, dict] | None:
    """The data of botocore's JSON file `full_path` from its pickle, with the names of its
    operations and parameters ({(name, separator): name}, see `names`); None when not prebuilt,
    or the file changed since."""
    if _models is None:
        return None
    relative = _relative(full_path)
    if relative is None:
        return None
    try:
        with open(_models / (relative + ".pickle"), "rb") as kept:
            size, modified, data, names = pickle.load(kept)
        stat = os.stat(full_path)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    return (data, names) if (size, modified) == (stat.st_size, stat.st_mtime_ns) else None


def names(data) -> dict:
    """botocore's `xform_name` of a service model's operations (both separators) and of their
    input members (awscli's options), {(name, separator): name}; {} for another kind of model."""
    from handbook import aws  # noqa: F401  -- first: botocore below is awscli's

    import botocore

    named = {}
    if not isinstance(data, dict) or not isinstance(data.get("operations"), dict):
        return named
    shapes = data.get("shapes", {})
    for operation in data["operations"].values():
        for separator in ("-", "_"):
            named[operation["name"], separator] = botocore.xform_name(operation["name"], separator, {})
        for member in shapes.get(operation.get("input", {}).get("shape"), {}).get("members", {}):
            named[member, "-"] = botocore.xform_name(member, "-", {})
    return named


def _data_folders() -> list[Path]:
    """botocore's data folder and awscli's (awscli adds its own to botocore's search path)."""
    import awscli

    root = Path(awscli.__file__).parent
    return [root / "botocore" / "data", root / "data"]


def _relative(full_path: str) -> str | None:
    path = Path(full_path)
    for index, data in enumerate(_data_folders()):
        if path.is_relative_to(data):
            return f"{index}/{path.relative_to(data).as_posix()}"
    return None


def model_files() -> list[Path]:
    """The JSON files a check may read: every file at a data folder's top, and in each service
    the newest API version that has a file of that type (botocore reads only that one)."""
    files = []
    for data in _data_folders():
        files += sorted(data.glob("*.json"))
        for service in sorted(p for p in data.iterdir() if p.is_dir()):
            newest: dict[str, Path] = {}
            for version in sorted(p for p in service.iterdir() if p.is_dir()):
                for file in version.glob("*.json"):
                    newest[file.name] = file  # sorted: a later version replaces an earlier one
            files += sorted(newest.values())
    return files


def build(where: Path | None = None, files: list[Path] | None = None) -> str:
    """Write the pickles (of `files`, default `model_files()`) and the compiled patterns;
    returns what was written, in a sentence."""
    import json

    where = where or folder()
    models = where / MODELS
    count = size = 0
    for file in model_files() if files is None else files:
        target = models / (_relative(str(file)) + ".pickle")
        target.parent.mkdir(parents=True, exist_ok=True)
        stat = file.stat()
        data = json.loads(file.read_bytes().decode("utf-8"))
        kept = (stat.st_size, stat.st_mtime_ns, data, names(data) if file.name == "service-2.json" else {})
        _write(target, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        count, size = count + 1, size + target.stat().st_size
    # The patterns: those a check compiles, recorded in a fresh process (this one has compiled
    # its own already, and `re` keeps them).
    recorded = subprocess.run([sys.executable, "-c", "from handbook import prebuilt; prebuilt._record()"],
                              capture_output=True, check=True).stdout
    patterns = marshal.loads(recorded)
    _write(where / PATTERNS, recorded)
    return (f"prebuilt {count} model files ({size / 1e6:.0f} MB of pickles) and {len(patterns)} compiled "
            f"patterns in {where}")


def _write(target: Path, data: bytes) -> None:
    """Whole or not at all: a check never reads half a file."""
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(data)
    partial.replace(target)


def compiled_arguments(pattern, flags=0) -> tuple:
    """What `re`'s own compiler hands to `_sre.compile` for `pattern` (after the pattern itself),
    in types marshal keeps."""
    handed = []

    class Recorder:
        def __getattr__(self, name):
            return getattr(_sre, name)

        def compile(self, pattern, flags, code, groups, groupindex, indexgroup):
            handed.append((int(flags), [int(c) for c in code], int(groups),
                           {str(k): int(v) for k, v in groupindex.items()},
                           tuple(None if name is None else str(name) for name in indexgroup)))
            return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)

    compiler = re._compiler
    compiler._sre = Recorder()
    try:
        _original_compile(pattern, flags)
    finally:
        compiler._sre = _sre
    return handed[-1]


def _record() -> None:
    """Compile what a check compiles (its imports, awscli's driver, a few commands of the
    services runbooks use most), keeping what `re` hands to `_sre.compile`; marshal to stdout."""
    kept = {}

    def recording(p, flags=0):
        if isinstance(p, (str, bytes)):
            kept[(type(p) is bytes, p, int(flags))] = compiled_arguments(p, flags)
        return _original_compile(p, flags)

    re._compiler.compile = recording
    import tempfile

    from handbook import check

    with tempfile.TemporaryDirectory() as scratch:
        runbook = Path(scratch) / "runbook.md"
        runbook.write_text(SAMPLE, encoding="utf-8")
        check.run([runbook], mode="runbook")
    sys.stdout.buffer.write(marshal.dumps(kept))


# What the recording checks: a little of each kind of thing a runbook holds.
SAMPLE = """# Sample

```bash
aws sts get-caller-identity
aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin
aws s3 ls s3://amzn-s3-demo-bucket/AWSLogs/ --recursive
aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket --query Policy --output text
aws ec2 describe-instances --instance-ids i-0123456789abcdef0
aws iam list-access-keys --user-name <user>
aws logs filter-log-events --log-group-name <group>
aws guardduty list-detectors
```

```json
{"Version": "2012-10-17", "Statement": []}
```
"""


if __name__ == "__main__":
    print(build())
