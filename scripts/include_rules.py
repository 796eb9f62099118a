#!/usr/bin/env python3
"""Who may include whom (docs/architecture.md, "Who may include whom"): scans every #include line of the
tree's C and C++ files, resolves it to a file of the tree (or to none: std and third-party headers, always
allowed) and fails naming file:line for every include a rule forbids.

The rules are one table, RULES, right below: change a layer's boundary there and in architecture.md.
A rule can list KNOWN exceptions, each with the change that removes it: they are allowed until then, and
an exception that no longer occurs fails the check too (delete it from the table), so the list shrinks
with the code and never hides a new violation.

Usage: include_rules.py SOURCE_DIR             check the tree; exit 1 listing every broken rule
       include_rules.py --self-test SOURCE_DIR
                                               inject a violation of each rule in memory, expect each
                                               to be reported (and the clean tree to pass)

Python 3 standard library only. Registered in ctest as style:includes and style:includes_self_test.
"""

import os
import re
import sys
from dataclasses import dataclass, field

# Folders are given relative to the source dir, with a trailing slash. In `files`, `*` stands for one
# folder name; in `only`/`never`, `{self}` is the folder `files` matched (a driver's own folder).
SQL_REFACTOR = "expected after the sql/ refactor (the shared SQL parser moves from run/probe to sql/)"


@dataclass
class Rule:
    name: str
    files: object  # the including files: this folder and below (or a list of such folders)
    why: str
    only: list = None  # the including files may include from these folders only (and std/third-party)
    never: list = None  # ... and never from these
    known: list = field(default_factory=list)  # [(file, included file, until)] allowed for now


RULES = [
    Rule("public-api", "libmigrate/include/",
         "the installed headers: what a user's compiler sees must be there too",
         only=["libmigrate/include/"]),
    Rule("core", "libmigrate/src/",
         "the library knows drivers only through the C SDK header and the loader, and never the CLI",
         only=["libmigrate/include/", "libmigrate/src/", "plugins/include/", "plugins/loader/"]),
    Rule("sql-below-run", "libmigrate/src/sql/",
         "the shared SQL layer serves run/, lint/, plan/ and verify/: it may not reach up into them",
         never=["libmigrate/src/run/", "libmigrate/src/lint/", "libmigrate/src/plan/", "libmigrate/src/verify/",
                "libmigrate/src/deploy/"]),
    Rule("foundation", ["libmigrate/src/connect/", "libmigrate/src/tracking/", "libmigrate/src/source/",
                        "libmigrate/src/project/"],
         "the folder, the tables and connections sit below everything that decides or applies",
         never=["libmigrate/src/run/", "libmigrate/src/deploy/", "libmigrate/src/plan/", "libmigrate/src/lint/",
                "libmigrate/src/verify/", "libmigrate/src/baseline/", "libmigrate/src/c_api/",
                "libmigrate/src/startup/", "libmigrate/src/json/", "libmigrate/src/target.cpp",
                "libmigrate/src/merge/", "libmigrate/src/log/"]),
    Rule("lint-not-run", "libmigrate/src/lint/",
         "lint runs without a server and must not depend on how statements are applied",
         never=["libmigrate/src/run/"]),
    Rule("plan-not-run", "libmigrate/src/plan/",
         "planning is a pure function of the folder, the rows and table facts: not of the runner",
         never=["libmigrate/src/run/"]),
    Rule("merge-offline", "libmigrate/src/merge/",
         "merge safety compares folders at review time, with no server: not the runner, not a connection",
         never=["libmigrate/src/run/", "libmigrate/src/connect/", "libmigrate/src/deploy/"]),
    Rule("verify-not-run", "libmigrate/src/verify/",
         "verify reads and compares; it never applies anything",
         never=["libmigrate/src/run/"]),
    Rule("plugins", "plugins/",
         "the SDK, driver kit and loader are below the library: drivers and the core build on them",
         only=["plugins/"]),
    Rule("drivers", "drivers/*/",
         "a driver is a plugin: the C SDK, the driver kit, the PlanetScale wire format and its own files",
         only=["plugins/include/", "plugins/driver_kit/include/", "psdb/", "{self}"]),
    Rule("psdb", "psdb/", "the wire format is shared by the HTTP driver and the gateway: it depends on neither",
         only=["psdb/"]),
    Rule("cli", "tools/migrate/", "the CLI is a client of the public API, like any embedding program",
         only=["libmigrate/include/", "tools/migrate/"]),
    Rule("gateway", "tools/psdb-gateway/", "the gateway is a server of the wire format, not a user of the library",
         only=["psdb/", "tools/psdb-gateway/"]),
]

# The folders the build passes as -I (libmigrate/CMakeLists.txt, plugins/, psdb/, tests/, fuzz/): where
# an include that is not relative to its file is looked for.
INCLUDE_ROOTS = ["libmigrate/include/", "libmigrate/src/", "plugins/include/", "plugins/driver_kit/include/",
                 "plugins/loader/", "psdb/", "tests/support/", "tools/migrate/", "tools/psdb-gateway/",
                 "drivers/http-planetscale/"]

SCANNED = ("libmigrate/", "plugins/", "drivers/", "psdb/", "tools/")
EXTENSIONS = (".h", ".hpp", ".c", ".cpp", ".cc", ".ipp")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def source_files(root):
    """{relative path: text} of the scanned C/C++ files."""
    files = {}
    for top in SCANNED:
        for folder, dirs, names in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.startswith("build"))
            for name in sorted(names):
                if name.endswith(EXTENSIONS):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8", errors="replace") as f:
                        files[os.path.relpath(path, root).replace(os.sep, "/")] = f.read()
    return files


def resolve(including, kind, name, exists):
    """The tree's file an include names, or None (std, third-party)."""
    candidates = []
    if kind == '"':
        candidates.append(os.path.normpath(os.path.join(os.path.dirname(including), name)).replace(os.sep, "/"))
    candidates += [os.path.normpath(r + name).replace(os.sep, "/") for r in INCLUDE_ROOTS]
    return next((c for c in candidates if exists(c)), None)


def matched_folder(pattern, path):
    """The concrete folder `pattern` (with `*` for one folder name) matches at the start of path, or None."""
    parts, pat = path.split("/"), pattern.rstrip("/").split("/")
    if len(parts) <= len(pat):
        return None
    for p, q in zip(pat, parts):
        if p != "*" and p != q:
            return None
    return "/".join(parts[:len(pat)]) + "/"


def broken(rule, self_folder, included):
    """Why rule forbids `included` for a file under self_folder, or None."""
    def under(folders):
        return any(included.startswith(self_folder if f == "{self}" else f) for f in folders)
    if rule.only is not None and not under(rule.only):
        return "may include only " + ", ".join(rule.only)
    if rule.never is not None and under(rule.never):
        return "may not include " + ", ".join(rule.never)
    return None


def check(root, files, exists):
    """Problems as 'file:line: message' lines."""
    problems, used = [], set()
    for path, text in sorted(files.items()):
        rules = [(r, f) for r in RULES for pattern in ([r.files] if isinstance(r.files, str) else r.files)
                 if (f := matched_folder(pattern, path))]
        if not rules:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            included = resolve(path, m.group(1), m.group(2), exists)
            if included is None:
                continue
            for rule, folder in rules:
                why_not = broken(rule, folder, included)
                if not why_not:
                    continue
                known = next((k for k in rule.known if k[0] == path and k[1] == included), None)
                if known:
                    used.add((rule.name, path, included))
                    continue
                problems.append(f"{path}:{number}: rule {rule.name}: {folder} {why_not}; includes {included} "
                                f"({rule.why})")
    for rule in RULES:
        for path, included, until in rule.known:
            if (rule.name, path, included) not in used:
                problems.append(f"scripts/include_rules.py: rule {rule.name}: the known exception {path} -> "
                                f"{included} ({until}) no longer occurs: delete it from RULES")
    return problems


def tree_exists(root):
    cache = {}

    def exists(rel):
        if rel not in cache:
            cache[rel] = os.path.isfile(os.path.join(root, rel))
        return cache[rel]
    return exists


def self_test(root):
    """Each rule, broken in memory by one injected include, must be reported at the injected line."""
    files = source_files(root)
    exists = tree_exists(root)
    baseline = check(root, files, exists)
    if baseline:
        print("self-test: the tree itself does not pass; fix that first:\n  " + "\n  ".join(baseline))
        return 1
    # (file to add a line to, include line, rule expected to fire)
    injections = [
        ("libmigrate/include/migrate/target.hpp", '#include "../../src/run/lock.hpp"', "public-api"),
        ("libmigrate/src/target.cpp", '#include "../../tools/migrate/cli_common.hpp"', "core"),
        ("libmigrate/src/sql/tokenizer.cpp", '#include "../run/lock.hpp"', "sql-below-run"),
        ("libmigrate/src/tracking/tracking_table.cpp", '#include "../plan/table_facts.hpp"', "foundation"),
        ("libmigrate/src/lint/registry.cpp", '#include "../run/apply.hpp"', "lint-not-run"),
        ("libmigrate/src/plan/make_plan.cpp", '#include "../run/lock.hpp"', "plan-not-run"),
        ("libmigrate/src/verify/compare.cpp", '#include "../run/lock.hpp"', "verify-not-run"),
        ("plugins/loader/driver_loader.cpp", '#include "../../libmigrate/src/connect/connection.hpp"', "plugins"),
        ("drivers/mysql2-like/mysql_driver.cpp", '#include "../http-planetscale/options.hpp"', "drivers"),
        ("drivers/mysql2-like/mysql_driver.cpp", "#include <migrate/target.hpp>", "drivers"),
        ("psdb/psdb_wire.hpp", "#include <migrate/driver.h>", "psdb"),
        ("tools/migrate/main.cpp", '#include "connect/connection.hpp"', "cli"),
        ("tools/psdb-gateway/server.cpp", "#include <migrate/error.hpp>", "gateway"),
    ]
    failures = 0
    for path, line, rule in injections:
        if path not in files:
            print(f"self-test: {path} is gone: update the injections")
            failures += 1
            continue
        broken_files = dict(files)
        broken_files[path] = files[path] + "\n" + line + "\n"
        at = f"{path}:{files[path].count(chr(10)) + 2}: rule {rule}:"
        found = check(root, broken_files, exists)
        if not any(p.startswith(at) for p in found):
            print(f"self-test: injected `{line}` into {path}, expected a report starting `{at}`, got: {found}")
            failures += 1
    # A known exception that no longer occurs is reported, so the table cannot go stale.
    for rule in RULES:
        for path, included, _ in rule.known:
            fixed = dict(files)
            fixed[path] = "\n".join(l for l in files[path].splitlines()
                                    if not (INCLUDE.match(l) and resolve(path, INCLUDE.match(l).group(1),
                                                                         INCLUDE.match(l).group(2),
                                                                         exists) == included))
            if not any("no longer occurs" in p and included in p for p in check(root, fixed, exists)):
                print(f"self-test: removing {path} -> {included} did not report its stale exception")
                failures += 1
    if failures:
        return 1
    print(f"self-test: {len(injections)} injected violations reported, stale exceptions reported")
    return 0


def main(argv):
    args = argv[1:]
    if args[:1] == ["--self-test"]:
        return self_test(args[1] if len(args) > 1 else ".")
    if len(args) != 1:
        print(__doc__)
        return 2
    root = args[0]
    files = source_files(root)
    problems = check(root, files, tree_exists(root))
    for p in problems:
        print(p)
    pending = sum(len(r.known) for r in RULES)
    if problems:
        print(f"include rules: {len(problems)} problem(s); the rules are RULES in scripts/include_rules.py and "
              "docs/architecture.md")
        return 1
    print(f"include rules: {len(files)} files, {len(RULES)} rules hold ({pending} known exceptions, "
          "each until its named change)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
