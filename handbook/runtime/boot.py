"""What the in-page runtime runs first, in the browser's Python (and in the tests' CPython).

Two stand-ins make the pinned packages run where the browser's Python cannot do what they ask:
- threads: Pyodide cannot start one. awscli's s3 transfers use a pool of threads and a result
  thread; here they use s3transfer's own non-threaded executor, and the result thread's loop
  runs when the command joins it, so `aws s3 cp` prints what it prints under a shell.
- cryptography: it has no build for the browser's Python, and moto imports it at module level
  (IAM, EC2) though none of the handbook's commands call it. A stand-in lets every import
  succeed; any use raises, naming what was used, so a command that needs it fails plainly.
  The one use a handbook example makes, EC2's CreateKeyPair (a setup step), gets key material
  of random bytes in the key's format instead: no simulated key opens anything anyway. KMS's
  CreateKey (an exercise's setup) makes an RSA key for signing even for a symmetric key: in
  the page a key has none, and only signing or verifying with it fails.

A third stand-in, duckdb: the suite's SQL checks (handbook.examples.sql) import it, and the page's
Athena (handbook/runtime/athena.py) reuses their parsing and translation but runs the queries in
duckdb-wasm, in a worker of its own; here nothing calls the Python package.

`start()` installs them (each only when the real package is absent),
registers the handbook's moto extensions and returns the one `Account` the page uses.
`exercise()` answers the Practise box's messages (handbook/training/practise.py) in it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import types

STANDIN = "cryptography"


class Unavailable:
    """Any name of a package the runtime does not carry: importable, subclassable, never usable."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str) -> Unavailable:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Unavailable(f"{self._name}.{attribute}")

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(f"{self._name} needs the {self._name.split('.')[0]} package, which the in-page "
                                  "account does not carry")

    def __mro_entries__(self, bases):
        return (object,)

    def __or__(self, other):  # `rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey` in an annotation
        return self

    __ror__ = __or__


def _names_of(module: str):
    def __getattr__(attribute: str) -> Unavailable:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Unavailable(f"{module}.{attribute}")
    return __getattr__


class _StandinFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, package: str):
        self.package = package

    def find_spec(self, name, path=None, target=None):
        if name == self.package or name.startswith(self.package + "."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _names_of(spec.name)
        return module

    def exec_module(self, module):
        pass


def install_standin(package: str = STANDIN) -> bool:
    """A stand-in for `package`, unless the real one can be imported; True when the stand-in is in place."""
    if any(isinstance(f, _StandinFinder) and f.package == package for f in sys.meta_path):
        return True
    if importlib.util.find_spec(package) is not None:
        return False
    sys.meta_path.append(_StandinFinder(package))
    return True


def key_pairs() -> None:
    """EC2 key pairs without cryptography: random material in the right format, and its fingerprint."""
    import base64
    import hashlib
    import os

    from moto.ec2.models import key_pairs as module

    def material(kind: str) -> dict:
        secret = os.urandom(64)
        digest = hashlib.sha256(secret).digest() if kind == "ed25519" else hashlib.sha1(secret).digest()
        fingerprint = base64.b64encode(digest).decode().rstrip("=") if kind == "ed25519" \
            else ":".join(f"{b:02x}" for b in digest)
        pem = {"ed25519": "OPENSSH PRIVATE KEY", "rsa": "RSA PRIVATE KEY"}[kind]
        private = f"-----BEGIN {pem}-----\n{base64.encodebytes(secret).decode()}-----END {pem}-----\n"
        public = f"ssh-{kind} {base64.b64encode(secret[:32]).decode()}"
        return {"fingerprint": fingerprint, "material": private.encode(), "material_public": public.encode()}

    module.random_ed25519_key_pair = lambda: material("ed25519")
    module.random_rsa_key_pair = lambda: material("rsa")


class KeyWithoutMaterial:
    """A KMS key's signing key in the page: there is none, so signing or verifying fails plainly."""

    def _unavailable(self, *args, **kwargs):
        raise NotImplementedError("signing and verifying with a KMS key need the cryptography package, which the "
                                  "in-page account does not carry")

    sign = verify = public_key = _unavailable


def kms_keys() -> None:
    """KMS keys without cryptography (see the module's docstring)."""
    from moto.kms import models

    models.generate_private_key = lambda key_spec: KeyWithoutMaterial()


def threadless() -> None:
    """awscli's s3 transfers without threads (see the module's docstring); idempotent."""
    import functools

    from awscli.customizations.s3 import results, s3handler
    from s3transfer.futures import NonThreadedExecutor
    from s3transfer.manager import TransferManager

    if getattr(s3handler.TransferManager, "threadless", False):
        return
    manager = functools.partial(TransferManager, executor_cls=NonThreadedExecutor)
    manager.threadless = True
    s3handler.TransferManager = manager
    results.ResultProcessor.start = lambda self: None
    results.ResultProcessor.join = lambda self, timeout=None: self.run()


def start(snippets_root: str, commands: list[str] | None = None):
    """The page's Account, after the stand-ins and the handbook's moto extensions."""
    standin = install_standin()
    install_standin("duckdb")
    from handbook import account, simulation  # after the stand-in: moto imports cryptography

    if standin:
        key_pairs()
        kms_keys()
    threadless()
    simulation.register()
    return account.Account(snippets_root, commands=frozenset(commands) if commands else None)


def run(account, ref: str, command: str | None, key: str | None = None) -> str:
    """One Run (or, without a command, a fresh account prepared for `ref`), as JSON for the page;
    an unexpected failure is reported, never raised."""
    try:
        done = account.prepare(ref, key=key) if command is None else account.run(ref, command, key=key)
        return json.dumps(done.as_dict())
    except Exception as failure:  # the page must keep working, and the account its state
        return json.dumps({"status": "error", "exit_code": 2, "stdout": "", "stderr": "", "account": "same",
                           "note": f"The in-page account could not run this: {type(failure).__name__}: {failure}",
                           "seconds": 0})


def exercise(account, snippets_root: str, message: dict) -> str:
    """A Practise box's message (`practise`, `exercise` or `check`), as JSON for the page; an unexpected
    failure is reported as a sentence, never raised."""
    from handbook.training import practise

    kind, ksa = message.get("type"), str(message.get("ksa"))
    try:
        if kind == "practise":
            done = practise.start(account, snippets_root, ksa, list(message.get("commands") or []))
        elif kind == "exercise":
            done = practise.run(account, snippets_root, ksa, str(message.get("command") or ""),
                                list(message.get("history") or []))
        else:
            answer = message.get("answer")
            done = practise.check(account, snippets_root, ksa, None if answer is None else str(answer),
                                  list(message.get("history") or []))
        return json.dumps(done)
    except Exception as failure:  # the page must keep working
        sentence = f"The exercise could not run this: {type(failure).__name__}: {failure}"
        return json.dumps({"status": "error", "exit_code": 2, "stdout": "", "stderr": "", "account": "same",
                           "ran": False, "note": sentence, "seconds": 0, "holds": False, "conditions": [],
                           "message": sentence})


def sql(account, ref: str, text: str, key: str | None = None) -> str:
    """What the page's DuckDB runs for the Athena SQL `text` of box `ref`, in the account of `key`
    (handbook/runtime/athena.py), as JSON; a failure is reported in Athena's words, never raised."""
    from handbook import snippets
    from handbook.examples import sql as checks
    from handbook.runtime import athena

    try:
        fresh = account.enter(ref, key=key)
        box = snippets.load(account.root, ref, where=("page", None))
        tables = [(account.root / athena.TABLE).read_text(encoding="utf-8")]
        for required in checks._requires(box.declarations) if box.kind == "sql" else []:
            tables.append(checks._snippet_file(box.file.parent, required).read_text(encoding="utf-8"))
        records, files = athena.delivered()
        source = f"the {len(files)} trail log file{'s' if len(files) != 1 else ''} delivered in this account"
        done = athena.plan(text, tables, records if files else None, source=source, signature="\n".join(files)).as_dict()
        done["account"] = "fresh" if fresh else "same"
        return json.dumps(done)
    except Exception as failure:  # the page must keep working
        return json.dumps({"error": f"GENERIC_INTERNAL_ERROR: the page could not run this: {type(failure).__name__}: "
                                    f"{failure}", "setup": [], "query": None, "note": ""})


def sql_error(message: str, text: str) -> str:
    """A DuckDB error about `text` as Athena says it."""
    from handbook.runtime import athena

    return athena.athena_error(message, text)


def investigation(account, call: str, args: dict) -> str:
    """The investigation panel's `call` (handbook/runtime/panel.py) with `args`, as JSON."""
    from handbook.runtime import panel

    if call in ("start", "contained"):
        args = {"account": account, **args}
    return getattr(panel, call.replace("-", "_"))(**args)
