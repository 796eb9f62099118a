#!/usr/bin/env python3
"""docs/cli.md is true: every example command line it shows runs against the real server and exits as the
docs say, and where the docs show output, the output says that. The conventions (docs/cli.md, "Examples"):

  ```sh       every line runs in order with sh, in one fresh workspace; a line whose command is `migrate`
              (after NAME=value assignments) is an example; it must exit 0, or N when it ends in `# exit N`
  ```console  the same for `$ ` lines; the lines after one, up to the next `$ `, are its output (stdout,
              then stderr): each must appear, in order, spacing aside, `…` standing for any text
  `# not run: REASON` at a line's end: not run, counted and named (no credentials, needs a terminal)

An example that is neither run nor marked fails, as does a block in another shell dialect.

Usage: cli_docs_check.py --cli PATH [--default-url URL] SOURCE_DIR
                                                     run the examples (server: $MIGRATE_TEST_URL, else URL)
       cli_docs_check.py --self-test                 check the parser and the output matching only

Python 3 standard library, and the server's command-line client (mariadb or mysql) for scratch databases.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

ELLIPSIS = "\u2026"
DIALECTS = {"bash", "shell", "zsh", "shell-session"}  # would be examples nobody runs: say sh or console


class Step:
    def __init__(self, line, command):
        self.line, self.command, self.output = line, command, []
        self.example = bool(re.match(r"([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*migrate(\s|$)", command))
        comment = trailing_comment(command)
        m = re.match(r"exit (\d+)", comment)
        self.exit_code = int(m.group(1)) if m else 0
        m = re.match(r"not run: (.+)$", comment)
        self.not_run = m.group(1) if m else None


def trailing_comment(line):
    """The shell comment ending a line (`#` after whitespace, outside quotes), without the `#`; or ""."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i + 1:].strip()
    return ""


def examples_of(markdown):
    """[(block line, [Step])] of the sh and console blocks; raises ValueError for a misplaced block."""
    blocks, lang, inside = [], None, False
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.startswith("```"):
            if inside:
                inside = False
                continue
            inside, lang = True, line[3:].strip()
            if lang in DIALECTS:
                raise ValueError(f"docs/cli.md:{number}: a ```{lang} block: examples are ```sh or ```console")
            if lang in ("sh", "console"):
                blocks.append((number, []))
            continue
        if not inside or lang not in ("sh", "console"):
            continue
        steps = blocks[-1][1]
        if lang == "sh":
            if line.strip() and not line.strip().startswith("#"):
                steps.append(Step(number, line.strip()))
        elif line.startswith("$ "):
            steps.append(Step(number, line[2:].strip()))
        elif line.strip():
            if not steps:
                raise ValueError(f"docs/cli.md:{number}: output before any `$ ` line")
            steps[-1].output.append(line)
    return blocks


def squeeze(s):
    return re.sub(r"[ \t]+", " ", s).strip()


def line_matches(expected, actual):
    """`expected` (with … for any text) inside `actual`, spacing aside."""
    at = 0
    actual = squeeze(actual)
    for part in (p.strip() for p in squeeze(expected).split(ELLIPSIS)):
        if not part:
            continue
        found = actual.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def missing_output(expected, output):
    """The first expected line not found, in order, among the output's lines; None when all are."""
    lines, i = output.splitlines(), 0
    for want in expected:
        while i < len(lines) and not line_matches(want, lines[i]):
            i += 1
        if i == len(lines):
            return want
        i += 1
    return None


class Server:
    """The test server: scratch databases through its command-line client."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 3306
        self.user, self.password = urllib.parse.unquote(u.username or ""), urllib.parse.unquote(u.password or "")
        self.url = url.rstrip("/")
        self.client = shutil.which("mariadb") or shutil.which("mysql")
        if not self.client:
            raise SystemExit("cli_docs_check: neither mariadb nor mysql (the client) is on PATH")
        self.count = 0

    def sql(self, statement):
        subprocess.run([self.client, "-h", self.host, "-P", str(self.port), "-u", self.user, "-e", statement],
                       check=True, env=dict(os.environ, MYSQL_PWD=self.password))

    def scratch(self, label):
        self.count += 1
        name = f"t_docs_{label}_{os.getpid()}_{self.count}"
        self.sql(f"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`")
        return name


def workspace(source, server, folder):
    """The folder a block runs in (docs/cli.md, "Examples"); returns (env, databases to drop)."""
    corpus = os.path.join(source, "examples", "openinsure")
    shutil.copytree(os.path.join(corpus, "oi_claims"), os.path.join(folder, "drizzle"))
    databases, targets = [server.scratch("app")], []
    for name in ("oi_claims", "oi_billing", "oi_policies"):
        shutil.copytree(os.path.join(corpus, name), os.path.join(folder, name))
        databases.append(server.scratch(name.replace("oi_", "")))
        targets.append(f'    "{name}": {{"host": "{server.host}", "port": {server.port}, "user": "{server.user}", '
                       f'"password": "env:MIGRATE_DB_PASSWORD", "database": "{databases[-1]}", '
                       f'"migrations": "{name}"}}')
    with open(os.path.join(folder, "migrate.json"), "w") as f:
        f.write('{"targets": {\n' + ",\n".join(targets) + "\n}}\n")
    return databases


def run(cli, source, default_url):
    if not os.access(cli, os.X_OK):
        raise SystemExit(f"cli_docs_check: no CLI at {cli}: build it first")
    server = Server(os.environ.get("MIGRATE_TEST_URL") or default_url)
    with open(os.path.join(source, "docs", "cli.md"), encoding="utf-8") as f:
        blocks = examples_of(f.read())
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(cli)) + os.pathsep + os.environ.get("PATH", ""),
               MIGRATE_DB_PASSWORD=server.password, NO_COLOR="1")
    examples = ran = 0
    not_run, failures = [], []
    for block_line, steps in blocks:
        examples += sum(s.example for s in steps)
        not_run += [s for s in steps if s.example and s.not_run]
        for s in steps:
            if s.not_run and not s.example:
                failures.append(f"docs/cli.md:{s.line}: only a `migrate` line can be marked not run")
        if all(s.not_run for s in steps):
            continue
        with tempfile.TemporaryDirectory(prefix="libmigrate-docs-") as folder:
            databases = workspace(source, server, folder)
            env["DATABASE_URL"] = f"{server.url}/{databases[0]}"
            try:
                for s in steps:
                    if s.not_run:
                        continue
                    r = subprocess.run(["sh", "-c", s.command], cwd=folder, env=env, capture_output=True, text=True,
                                       stdin=subprocess.DEVNULL, timeout=600)
                    ran += s.example
                    problem = None
                    if r.returncode != s.exit_code:
                        problem = f"exit {r.returncode}, the docs say {s.exit_code}"
                    elif s.output and (missing := missing_output(s.output, r.stdout + r.stderr)) is not None:
                        problem = f"the output lacks (in order): {missing}"
                    if problem:
                        failures.append(f"docs/cli.md:{s.line}: {s.command}\n  {problem}\n  stdout:\n"
                                        f"{indent(r.stdout)}\n  stderr:\n{indent(r.stderr)}")
            finally:
                server.sql("".join(f"DROP DATABASE IF EXISTS `{d}`;" for d in databases))
    print(f"docs/cli.md: {examples} examples, {ran} run, {len(not_run)} marked not run:")
    for s in not_run:
        print(f"  docs/cli.md:{s.line}: {s.not_run}")
    # Every example either ran or says why not; few means the conventions no longer match the doc.
    if ran + len(not_run) != examples:
        failures.append(f"{examples - ran - len(not_run)} example(s) neither run nor marked not run")
    if examples < 20:
        failures.append(f"only {examples} examples found: do the conventions still match docs/cli.md?")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


def indent(text):
    return "\n".join("    " + l for l in text.splitlines()[-40:])


def self_test():
    blocks = examples_of(
        "```\nmigrate status  [common]\n```\n"
        "```sh\nmigrate up --all   # every target\nmigrate up --url x  # exit 2: --url with --all\n"
        "echo hi > f\nDATABASE_URL=x migrate status\nmigrate revert 4 --yes  # not run: needs PlanetScale\n```\n"
        "```console\n$ migrate version\nlibmigrate …\n  driver …\n$ migrate status  # exit 4\n```\n")
    sh, console = blocks[0][1], blocks[1][1]
    checks = [
        (len(blocks), 2), (len(sh), 5), (sh[0].example, True), (sh[0].exit_code, 0), (sh[1].exit_code, 2),
        (sh[2].example, False), (sh[3].example, True), (sh[4].not_run, "needs PlanetScale"),
        (len(console), 2), (len(console[0].output), 2), (console[1].exit_code, 4),
        (trailing_comment("echo 'a # b' # exit 3"), "exit 3"),
        (line_matches("applied 0, pending 53", "applied 0,   pending 53"), True),
        (line_matches("target mysql://…@…/…", "target     mysql://migrate:***@127.0.0.1:13306/t_docs_1"), True),
        (line_matches("applied 1", "applied 0, pending 53"), False),
        (missing_output(["a", "c"], "a\nb\nc\n"), None), (missing_output(["c", "a"], "a\nb\nc\n"), "a"),
    ]
    bad = [(i, got, want) for i, (got, want) in enumerate(checks) if got != want]
    try:
        examples_of("```bash\nmigrate up\n```\n")
        bad.append(("bash block", "accepted", "refused"))
    except ValueError:
        pass
    for b in bad:
        print(f"self-test: check {b[0]}: got {b[1]!r}, want {b[2]!r}")
    print("self-test: " + ("failed" if bad else f"{len(checks) + 1} checks pass"))
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) == 4 and argv[1] == "--cli":
        return run(argv[2], argv[3], "mysql://migrate:migrate-local-pw@127.0.0.1:13306")
    if len(argv) == 6 and argv[1] == "--cli" and argv[3] == "--default-url":
        return run(argv[2], argv[5], argv[4])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
