"""Runbook mode: a team's runbook checked as its readers will use it, with no false alarms.

The handbook's own snippets are strict (`handbook.examples.verify`): one command a file,
every placeholder declared, every command run against simulated AWS and its output recorded.
A runbook nobody here wrote declares none of that, and must not drown its real defects in
findings about what it never promised. Runbook mode (the default of `handbook check` outside a
handbook project, `--runbook` anywhere) checks every example for what it is:

shell (fences `bash`, `sh`, `shell`, `zsh`, `console`; fences with no language or `text`
    whose lines begin with `aws ` or `$ aws `; `.sh` files)
    The shell is parsed, never run (`commands`, tree-sitter): a syntax error is reported at
    its line, unless it is only output or a payload shown in the block (`transcripts`); a line
    starting with `--option` under an aws command whose `\\` was lost is reported at that line.
    Every `aws` invocation in it is checked on its own, at its own line:
    - placeholders stand for a value of the option's type (`placeholders`) and are named in
      the `ok` finding; one placeholder may fill two options (a runbook often means that);
    - `--profile` is accepted and dropped (no configuration is read), `--region` and
      `--endpoint-url` are passed on; `--query` is compiled with jmespath;
    - `file://NAME` is read when NAME is beside the runbook; otherwise it stands for a value of
      the option's type (for `--cli-input-json`, the operation's required input), with a note;
      a local source of `s3 cp/mv/sync` the reader has is replaced by an empty one, with a note;
    - then awscli parses the command and botocore validates the parameters
      (`handbook.aws.AwsCli.parse`: nothing is sent), with the enum and embedded-JSON checks
      of strict mode (`cli._model_problems`).
    Nothing runs against simulated AWS unless the fence declares `setup` or `--simulate` is
    given; then a run without setup that fails because the empty account lacks a resource is
    `skipped` with that reason, not an error.
JSON
    Parsed (comments, trailing commas and other syntax errors are errors with their line; an
    excerpt of members, or a transcript's output after its `$ ` line, is read as such); its
    shape is checked only when the fence declares `schema`.
SQL (`sql` fences, and fences with no language whose first word opens a statement)
    Parsed as Athena SQL statement by statement; a collection of queries separated by blank
    lines or comments instead of `;` is read as such; what Athena refuses that the parser
    accepts is an error at its line (`handbook.examples.athena`). Run in DuckDB only when
    `expect_rows` is declared.

The package, module by module (it uses the handbook's per-kind checkers of `handbook.examples`,
which know nothing of it):

    blocks        a runbook's blocks: which checker each fence or file gets; shell
    transcripts   what a reader of a shell block does not run: prompts' output, unreadable lines
    invocation    one aws invocation: placeholders substituted, stand-ins, awscli's verdict
    documents     JSON and SQL blocks
    commands      every aws invocation in a piece of shell (tree-sitter), never run
    placeholders  the reader's blanks and the values that stand in for them
    files         which files are read, what each gets, suppressions and levels applied
    rules         the rule ids, their help and default levels
    suppression   `handbook-check: ignore[<rule>] <reason>` comments
    config        a team's [tool.handbook-check] or .handbook-check.toml
    sarif         the problems as a SARIF 2.1.0 log for code scanning
"""
