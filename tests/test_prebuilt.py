"""handbook.prebuilt: what the handbook command reads at start instead of computing it gives
exactly what computing it gives (botocore's JSON models, `re`'s compiled patterns)."""

from handbook import aws  # noqa: I001  -- first: botocore below is awscli's

import json
import marshal
import pickle
import re
from pathlib import Path

import pytest

from handbook import prebuilt

DATA = Path(aws.awscli.__file__).parent / "botocore" / "data"
FILES = [DATA / "sts" / "2011-06-15" / "service-2.json", DATA / "endpoints.json",
         DATA / "guardduty" / "2017-11-28" / "paginators-1.json"]


@pytest.fixture
def restored(monkeypatch):
    """Whatever a test makes prebuilt read is forgotten after it (re's compiler too)."""
    for name in ("_patterns", "_models", "_read"):
        monkeypatch.setattr(prebuilt, name, getattr(prebuilt, name))
    monkeypatch.setattr(re._compiler, "compile", re._compiler.compile)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("prebuilt")
    assert "3 model files" in prebuilt.build(where, files=FILES)
    return where


def test_a_prebuilt_model_is_the_json_it_was_built_from(built, restored):
    prebuilt.use(built)
    for file in FILES:
        data, names = prebuilt.model(str(file))
        assert data == json.loads(file.read_text(encoding="utf-8"))
        assert bool(names) == (file.name == "service-2.json")
    assert prebuilt.model(str(DATA / "iam" / "2010-05-08" / "service-2.json")) is None  # not built here


def test_a_model_file_changed_since_is_read_from_its_json(built, restored, tmp_path):
    copy = tmp_path / "prebuilt"
    (copy / prebuilt.MODELS).mkdir(parents=True)
    relative = prebuilt._relative(str(FILES[0])) + ".pickle"
    kept = copy / prebuilt.MODELS / relative
    kept.parent.mkdir(parents=True)
    size, modified, data, names = pickle.loads((built / prebuilt.MODELS / relative).read_bytes())
    kept.write_bytes(pickle.dumps((size, modified + 1, {"not": "the file"}, {})))
    prebuilt.use(copy)
    assert prebuilt.model(str(FILES[0])) is None


def test_every_kept_pattern_is_what_re_compiles_now(built):
    kept = marshal.loads((built / prebuilt.PATTERNS).read_bytes())
    assert len(kept) > 200  # the imports of a check compile ~300
    for (is_bytes, pattern, flags), arguments in kept.items():
        assert isinstance(pattern, bytes) == is_bytes
        assert prebuilt.compiled_arguments(pattern, flags) == arguments, pattern


def test_a_kept_pattern_serves_and_matches_as_re_compiles_it(built, restored):
    kept = marshal.loads((built / prebuilt.PATTERNS).read_bytes())
    (_, pattern, flags) = next(key for key in kept if not key[0] and "(?P<" in key[1])
    prebuilt.use(built)
    served = prebuilt._compile(pattern, flags)
    fresh = prebuilt._original_compile(pattern, flags)
    assert (served.pattern, served.flags, served.groups, served.groupindex) == \
        (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)


def test_a_damaged_prebuilt_folder_changes_nothing(restored, tmp_path):
    (tmp_path / prebuilt.PATTERNS).write_bytes(b"\x00not marshal")
    prebuilt.use(tmp_path)
    assert prebuilt._patterns == {} and prebuilt.model(str(FILES[0])) is None
    assert re.compile(r"(?P<word>handbook-\w+)").match("handbook-prebuilt").group("word") == "handbook-prebuilt"
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    key = (False, r"a(?P<x>b)", 0)
    (wrong / prebuilt.PATTERNS).write_bytes(marshal.dumps({key: (0, [1, 2, 3])}))  # not what _sre takes
    prebuilt.use(wrong)
    assert prebuilt._compile(key[1]).match("ab").group("x") == "b"  # compiled as always


def test_prebuilt_names_are_what_botocore_computes(built, restored):
    import botocore

    prebuilt.use(built)
    _, names = prebuilt.model(str(FILES[0]))
    assert {("AssumeRole", "-"), ("AssumeRole", "_"), ("RoleArn", "-")} <= set(names)
    for (name, separator), written in names.items():
        assert botocore.xform_name(name, separator, {}) == written  # a cache of its own: computed now
