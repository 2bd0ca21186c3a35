"""What the in-page runtime carries: built from the lock, trimmed, deterministic, and said in a manifest."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from importlib import metadata

import pytest

from handbook.errors import HandbookError
from handbook.runtime import boot, bundle, payload, pyodide

from .conftest import ROOT


@pytest.fixture(scope="module")
def packages():
    built = bundle.packages()
    return built, zipfile.ZipFile(io.BytesIO(built.data))


def test_the_packages_are_the_locked_versions(packages):
    built, _ = packages
    locked = {name.lower(): version for name, version in
              (line.split("==") for line in (ROOT / "requirements.lock").read_text().split())}
    carried = {d["name"].lower(): d["version"] for d in built.manifest["distributions"]}
    assert len(carried) >= 20 and {"awscli", "moto", "boto3", "botocore"} <= set(carried)
    assert {name: version for name, version in carried.items() if locked.get(name) != version} == {}


def test_python_is_carried_as_the_browsers_bytecode_and_nothing_compiled_for_this_machine(packages):
    _, archive = packages
    names = archive.namelist()
    assert "awscli/clidriver.pyc" in names and "moto/core/models.pyc" in names
    assert [n for n in names if n.endswith((".py", ".so"))] == []
    magic = archive.read("awscli/clidriver.pyc")[:4]
    assert magic != __import__("importlib.util").util.MAGIC_NUMBER  # not this CPython's: the browser's 3.14


def test_botocore_models_whole_for_simulated_services_and_metadata_for_the_rest(packages):
    _, archive = packages
    models = {n.split("/")[3]: n for n in archive.namelist() if n.endswith("/service-2.json")}
    cloudtrail = json.loads(archive.read(models["cloudtrail"]))
    dynamodb = json.loads(archive.read(models["dynamodb"]))
    assert "LookupEvents" in cloudtrail["operations"] and dynamodb["operations"] == {}
    assert dynamodb["metadata"]["serviceId"] == "DynamoDB"
    assert not any(n.startswith(("awscli/examples/", "moto/dynamodb/")) for n in archive.namelist())
    assert len(archive.read("moto/iam/aws_managed_policies.pyc")) < 10_000  # replaced, per runtime.yml


def test_the_handbook_zip_is_the_same_bytes_each_time_and_holds_no_build_only_code():
    first, second = bundle.handbook_zip(ROOT / "snippets"), bundle.handbook_zip(ROOT / "snippets")
    assert first.data == second.data
    names = zipfile.ZipFile(io.BytesIO(first.data)).namelist()
    assert "handbook/account.py" in names and "snippets/cloudtrail/create-trail.yml" in names
    assert not any(n.startswith(("handbook/kit/", "handbook/importer/")) for n in names)
    assert all(info.date_time == bundle.DATE for info in zipfile.ZipFile(io.BytesIO(first.data)).infolist())


def test_a_distribution_runtime_yml_names_that_is_not_installed_is_an_error():
    with pytest.raises(HandbookError, match="no-such-distribution is not installed"):
        bundle.build_packages({"distributions": ["no-such-distribution"], "services": [], "moto": []}, compiled=False)


def test_without_node_the_packages_cannot_be_compiled_and_it_says_what_to_install(monkeypatch):
    monkeypatch.setattr(bundle.shutil, "which", lambda name: None)
    with pytest.raises(HandbookError, match=r"compiled with Node.*apt-get install nodejs"):
        bundle._compiled({"x.py": b"x = 1\n"})


def test_pyodide_becomes_a_classic_script_or_the_build_says_why_not():
    module = "var a = new URL('x', import.meta.url);\nexport default _createPyodideModule;"
    script = pyodide.classic(module)
    assert "import.meta" not in script and "export" not in script and "globalThis._createPyodideModule" in script
    with pytest.raises(HandbookError, match="is not as expected"):
        pyodide.classic("export default somethingElse;")


def test_the_site_files_say_what_went_in():
    files = payload.files(ROOT / "snippets")
    manifest = json.loads(files["assets/runtime/manifest.json"])
    assert manifest["pyodide"]["version"] == pyodide.PACKAGE.version and manifest["pyodide"]["license"] == "MPL-2.0"
    assert manifest["packages"]["stand-ins"]["cryptography"]
    index = files["assets/runtime/index.js"].decode()
    assert index.startswith("__hbRuntimeIndex(") and '"packages.js"' in index
    assert files["assets/runtime/packages.js"].startswith(b'__hbRuntimePayload("packages.zip", "base64", "')


def test_a_stand_in_imports_and_fails_only_when_used():
    name = "handbook_absent_package"
    assert boot.install_standin(name)
    try:
        from handbook_absent_package.hazmat import primitives  # noqa: F401  any depth imports

        class Key(primitives.PrivateKey):  # subclassing works, as moto's modules do
            pass

        assert (primitives.A | primitives.B) is not None  # annotations with | evaluate
        with pytest.raises(NotImplementedError, match="primitives.generate needs the handbook_absent_package package"):
            primitives.generate()
    finally:
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(f, "package", None) != name]
        for module in [m for m in sys.modules if m.startswith(name)]:
            del sys.modules[module]


def test_no_stand_in_when_the_real_package_is_there():
    assert metadata.version("cryptography") and boot.install_standin("cryptography") is False
