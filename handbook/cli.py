"""The `handbook` command: import, check, drill, qualify, link, kit. Thin: each verb calls one module."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from handbook.errors import HandbookError


def cmd_import(args) -> int:
    from handbook import importer

    source = Path(args.source)
    layout = Path(args.layout) if args.layout else source.with_name("import.yml")
    errata = Path(args.errata) if args.errata else source.with_name("errata.yml")
    result = importer.run(source, Path(args.out), layout=layout, errata=errata, force=args.force)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {len(result.pages)} pages and {len(result.snippets)} snippets to {args.out}")
    return 0


def cmd_link(args) -> int:
    from handbook import ksa

    root = Path(args.root)
    registry, _ = ksa.load(root / "docs", root / "ksa.yml")
    print(registry.link(args.id, args.site_url))
    return 0


def cmd_ksa_number(args) -> int:
    from handbook import ksa

    root = Path(args.root)
    given = ksa.number(root / "docs", root / "ksa.yml")
    print(f"gave {len(given)} new KSA id(s): {' '.join(given)}" if given else "every KSA item has an id")
    return 0


def cmd_kit(args) -> int:
    from handbook import kit

    built = kit.build(out=Path(args.out), examples=Path(args.examples) if args.examples else None, fetch=not args.no_fetch)
    print(kit.report(built))
    return 0


def cmd_check(args) -> int:
    from handbook import check
    from handbook.runbook import config as settings

    if args.rules:
        from handbook.runbook import rules

        for rule in rules.RULES.values():
            print(f"{rule.id:28} {rule.level:8} {rule.summary}")
        return 0
    if not args.paths:
        print("error: handbook check needs a PATH (or --rules)", file=sys.stderr)
        return check.EXIT["usage"]
    paths = [Path(p) for p in args.paths]
    try:  # a configuration the check cannot follow stops it before anything is read
        config = settings.load(Path(args.config) if args.config else settings.find(check.common_folder(paths)))
    except settings.ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return check.EXIT["usage"]
    mode = "strict" if args.strict else "runbook" if args.runbook else "auto"
    findings = check.run(paths, update=args.update_examples, mode=mode, simulate=args.simulate, config=config)
    return check.report(findings, format="json" if args.json else args.format,
                        fail_on=args.fail_on or config.fail_on)


def cmd_drill(args) -> int:
    import json

    from handbook.training import drill, investigation

    root = Path(args.root).resolve()
    if args.list:
        found = [investigation.load(name, root) for name in investigation.names(root)]
        if args.json:
            print(json.dumps([{"name": i.name, "title": i.title, "tactics": i.tactics, "ksa": i.ksa,
                               "playbook": i.scenario.playbook} for i in found], indent=2))
        else:
            print("\n".join(f"{i.name}: {i.title} ({', '.join(i.tactics)})" for i in found))
        return 0
    if not args.name:
        raise HandbookError(root / "scenarios", None, "name a scenario to drill, or ask for --list")
    if (root / "scenarios" / f"{args.name}.yml").exists():
        inv = investigation.load(args.name, root)
        playbook = inv.scenario.playbook
    else:
        inv, playbook = None, args.name  # a playbook without a scenario: drill.load says so
    loaded = drill.load(args.name, root) if playbook else None
    outcomes = drill.run(loaded) if loaded else []
    rehearsed = investigation.rehearse(inv) if inv else None
    if args.json:
        print(json.dumps({"name": args.name, "playbook": playbook, "scenario": f"{args.name}.yml",
                          "actions": len(inv.scenario.timeline) if inv else 0,
                          "steps": [o.as_dict() for o in outcomes], "investigation": rehearsed}, indent=2))
    else:
        print("\n\n".join(([drill.report(loaded, outcomes)] if loaded else []) + [investigation.report(rehearsed)]))
    return 0


def cmd_qualify_verify(args) -> int:
    import json

    from handbook.examples.verify import simulation_runner
    from handbook.training import exercise, record

    runner = simulation_runner()  # first: the one driver, with moto's stubber, that loading reuses too
    exercises = exercise.collect(Path(args.root).resolve())
    loaded = record.read(args.record, known=set(exercises))
    replays = record.verify(loaded, runner, exercises=exercises)
    holds = all(r.holds for r in replays if r.holds is not None)
    if args.json:
        print(json.dumps({"record": args.record, "trainee": loaded.trainee, "handbook": loaded.handbook, "holds": holds,
                          "exercises": [r.as_dict() for r in replays]}, indent=2))
    else:
        print(record.report(loaded, replays))
    return 0 if holds else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="handbook", description=__doc__)
    verbs = p.add_subparsers(dest="verb", required=True)
    imp = verbs.add_parser("import", help="split a monolithic runbook into docs/ pages and snippets/ files")
    imp.add_argument("source", help="the Markdown runbook")
    imp.add_argument("--out", default=".", help="folder that receives docs/ and snippets/ (default: here)")
    imp.add_argument("--layout", help="layout file (default: import.yml beside the source)")
    imp.add_argument("--errata", help="errata file (default: errata.yml beside the source)")
    imp.add_argument("--force", action="store_true", help="replace existing docs/ and snippets/")
    imp.set_defaults(run=cmd_import)
    kit = verbs.add_parser("kit", help="build the offline IR kit: site for file://, bookmarked PDF, checksums, zip")
    kit.add_argument("--out", default="dist", help="folder that receives the kit and its zip (default: dist)")
    kit.add_argument("--examples", help="example-verification summary to put in the manifest "
                                        "(default: build/examples-summary.json, when it exists)")
    kit.add_argument("--no-fetch", action="store_true", help="use the cached npm tarballs (handbook/npm.yml), never the npm registry")
    kit.set_defaults(run=cmd_kit)
    chk = verbs.add_parser("check", help="check the examples of Markdown files or snippet folders, as the suite does")
    chk.add_argument("paths", nargs="*", metavar="PATH",
                     help="a project, a snippet folder, a folder of pages, a Markdown file or a snippet file")
    chk.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                     help="text: one line per error (default); json: every finding; sarif: SARIF 2.1.0 for code scanning")
    chk.add_argument("--json", action="store_true", help="the same as --format json")
    modes = chk.add_mutually_exclusive_group()
    modes.add_argument("--runbook", action="store_true",
                       help="runbook mode even inside a handbook project (the default outside one)")
    modes.add_argument("--strict", action="store_true",
                       help="the handbook's own checks: declared placeholders, one command a fence, simulated runs "
                            "(the default inside a handbook project)")
    chk.add_argument("--simulate", action="store_true",
                     help="runbook mode: also run each aws command against simulated AWS (moto)")
    chk.add_argument("--fail-on", choices=["error", "warning"],
                     help="runbook mode: exit 1 on errors only (default) or on warnings too")
    chk.add_argument("--config", metavar="FILE",
                     help="runbook mode: a .handbook-check.toml or pyproject.toml (default: the nearest one)")
    chk.add_argument("--rules", action="store_true", help="list the rules (id, default level, what each finds)")
    chk.add_argument("--update-examples", action="store_true",
                     help="re-record the output of CLI snippets instead of comparing it")
    chk.set_defaults(run=cmd_check)
    dr = verbs.add_parser("drill", help="run an incident's drill: its scenario, the playbook's steps if it has "
                                        "one, every question answered from evidence, the containment")
    dr.add_argument("name", nargs="?", help="the scenario, as scenarios/<name>.yml is named (credential-compromise)")
    dr.add_argument("--list", action="store_true", help="name every scenario, with its title and ATT&CK tactics")
    dr.add_argument("--json", action="store_true", help="print the steps, outputs and findings as JSON")
    dr.add_argument("--root", default=".", help="the project folder (default: here)")
    dr.set_defaults(run=cmd_drill)
    qualify = verbs.add_parser("qualify", help="qualification records: `handbook qualify verify RECORD.json`")
    qualify_verbs = qualify.add_subparsers(dest="action", required=True)
    qv = qualify_verbs.add_parser("verify", help="replay every exercise a record marks passed, in a fresh simulated "
                                                 "account each; exit 0 only when every one holds")
    qv.add_argument("record", help="the record exported from the KSA checklist page (JSON)")
    qv.add_argument("--json", action="store_true", help="print each exercise's id, holds and message as JSON")
    qv.add_argument("--root", default=".", help="the project folder (default: here)")
    qv.set_defaults(run=cmd_qualify_verify)
    link = verbs.add_parser("link", help="print the link of a KSA item (ct-s03)")
    link.add_argument("id")
    link.add_argument("--site-url", help="make the link absolute under this URL")
    link.add_argument("--root", default=".", help="the project folder (default: here)")
    link.set_defaults(run=cmd_link)
    ksa_verb = verbs.add_parser("ksa", help="KSA ids: `handbook ksa number` gives new items the next free ids")
    ksa_verb.add_argument("action", choices=["number"])
    ksa_verb.add_argument("--root", default=".", help="the project folder (default: here)")
    ksa_verb.set_defaults(run=cmd_ksa_number)
    return p


def main(argv: list[str] | None = None) -> int:
    from handbook import prebuilt

    prebuilt.use()  # first: the patterns it keeps serve the imports that follow
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except HandbookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def entry() -> None:
    """The `handbook` command: a verb, then a quick exit.

    Python's last collections at exit walk, and take apart one by one, every object the verb
    built: after a check, ~0.4 s of a 1.5 s process (bench/runbook.py). Frozen, they are left to
    the operating system. Not when duckdb was loaded: its extension counts the objects of its
    own still alive at exit and reports them as leaks. A check runs without the collector from
    its start (see check.run_runbooks): its imports too, and the report after it."""
    if sys.argv[1:2] == ["check"]:
        gc.disable()
    code = main()
    if "duckdb" not in sys.modules:
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
