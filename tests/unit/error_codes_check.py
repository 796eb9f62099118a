#!/usr/bin/env python3
"""The error codes have one source, enum migrate::errc in libmigrate/include/migrate/error.hpp; this check
fails when any place that repeats them disagrees with it (docs/errors.md, "Adding an error code"):

- libmigrate/src/error.cpp: to_string gives every code its identifier as its name;
- libmigrate/include/migrate.h: MIGRATE_ERRC_<UPPER> has the code's value (C API codes are 1000 and up);
- tools/migrate/cli_common.cpp: exit_code_for has a case for every code;
- docs/errors.md: the table has one row per code, in enum order, with its value and the exit code
  exit_code_for gives it;
- tests/c_abi/c_abi_test.c: LAST_ERRC, the bound of its loop over migrate_errc_name, is the last code.

Usage: error_codes_check.py SOURCE_DIR      check the tree; exit 1 listing every disagreement
       error_codes_check.py --self-test SOURCE_DIR
                                            break each place in memory, expect each break to be reported

Python 3 standard library only.
"""

import re
import sys
from pathlib import Path

FILES = {
    "enum": "libmigrate/include/migrate/error.hpp",
    "names": "libmigrate/src/error.cpp",
    "c_header": "libmigrate/include/migrate.h",
    "exit_codes": "tools/migrate/cli_common.cpp",
    "exit_values": "tools/migrate/cli_common.hpp",
    "docs": "docs/errors.md",
    "c_test": "tests/c_abi/c_abi_test.c",
}

C_API_ONLY_FROM = 1000  # MIGRATE_ERRC_INVALID_ARGUMENT and later C-only codes are no migrate::errc


class Problem(Exception):
    pass


def strip_comments(code):
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    return re.sub(r"//[^\n]*", " ", code)


def block_after(text, opening, file):
    """The text between `opening` (which ends in '{') and its matching '}'."""
    start = text.find(opening)
    if start < 0:
        raise Problem(f"{file}: cannot find `{opening}`")
    depth, i = 0, start + len(opening) - 1
    for i in range(i, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + len(opening):i]
    raise Problem(f"{file}: no closing brace after `{opening}`")


def enum_codes(texts):
    """[(identifier, value)] of migrate::errc, in declaration order."""
    body = strip_comments(block_after(texts["enum"], "enum class errc {", FILES["enum"]))
    codes, value = [], 0
    for item in (part.strip() for part in body.split(",")):
        if not item:
            continue
        m = re.fullmatch(r"(\w+)(?:\s*=\s*(\d+))?", item)
        if not m:
            raise Problem(f"{FILES['enum']}: cannot read the enumerator `{item}`")
        if m.group(2) is not None:
            value = int(m.group(2))
        codes.append((m.group(1), value))
        value += 1
    if not codes:
        raise Problem(f"{FILES['enum']}: enum class errc has no enumerators")
    return codes


def check(texts):
    """Every disagreement with migrate::errc, as messages naming the file and what to change."""
    problems = []
    codes = enum_codes(texts)
    by_name = dict(codes)

    # to_string(errc): one case per code, returning the identifier.
    to_string = block_after(texts["names"], "std::string_view to_string(errc code) noexcept {", FILES["names"])
    named = {}
    for code, name in re.findall(r'case\s+errc::(\w+)\s*:\s*return\s+"([^"]*)"', to_string):
        if code in named:
            problems.append(f"{FILES['names']}: to_string has two cases for errc::{code}")
        named[code] = name
    for code, _ in codes:
        if code not in named:
            problems.append(f"{FILES['names']}: to_string has no case for errc::{code}: add `case errc::{code}: return \"{code}\";`")
        elif named[code] != code:
            problems.append(f"{FILES['names']}: to_string(errc::{code}) returns \"{named[code]}\": the name must be the identifier \"{code}\"")
    for code in named.keys() - by_name.keys():
        problems.append(f"{FILES['names']}: to_string has a case for errc::{code}, which error.hpp does not declare")

    # migrate.h: MIGRATE_ERRC_<UPPER> = value.
    c_enum = strip_comments(block_after(texts["c_header"], "typedef enum migrate_errc {", FILES["c_header"]))
    constants = {}
    for name, value in re.findall(r"MIGRATE_ERRC_(\w+)\s*=\s*(\d+)", c_enum):
        constants[name] = int(value)
    for code, value in codes:
        upper = code.upper()
        if upper not in constants:
            problems.append(f"{FILES['c_header']}: no MIGRATE_ERRC_{upper}: add `MIGRATE_ERRC_{upper} = {value},`")
        elif constants[upper] != value:
            problems.append(f"{FILES['c_header']}: MIGRATE_ERRC_{upper} = {constants[upper]}, but errc::{code} is {value}")
    known_upper = {code.upper() for code, _ in codes}
    for name, value in constants.items():
        if name not in known_upper and value < C_API_ONLY_FROM:
            problems.append(f"{FILES['c_header']}: MIGRATE_ERRC_{name} = {value} is no migrate::errc "
                            f"(C API only codes start at {C_API_ONLY_FROM})")

    # exit_code_for: groups of `case errc::X:` ending in `return exit_NAME;`, NAME's number from cli_common.hpp.
    exit_values = {name: int(value) for name, value in re.findall(r"\b(exit_\w+)\s*=\s*(\d+)", texts["exit_values"])}
    switch = strip_comments(block_after(texts["exit_codes"], "int exit_code_for(migrate::errc code) {", FILES["exit_codes"]))
    exits, pending = {}, []
    for case, returned in re.findall(r"case\s+errc::(\w+)\s*:|return\s+(\w+)\s*;", switch):
        if case:
            pending.append(case)
            continue
        if returned not in exit_values:
            problems.append(f"{FILES['exit_codes']}: exit_code_for returns {returned}, which {FILES['exit_values']} does not define")
            pending = []
            continue
        for code in pending:
            if code in exits:
                problems.append(f"{FILES['exit_codes']}: exit_code_for has two cases for errc::{code}")
            exits[code] = exit_values[returned]
        pending = []
    for code, _ in codes:
        if code not in exits:
            problems.append(f"{FILES['exit_codes']}: exit_code_for has no case for errc::{code}: give it its exit code")

    # docs/errors.md: | `code` | value | exit | when | nothing touched? |
    rows = re.findall(r"^\|\s*`(\w+)`\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|", texts["docs"], flags=re.M)
    if not rows:
        problems.append(f"{FILES['docs']}: no table rows of the form | `code` | value | exit | … |")
    documented = {}
    for name, value, exit_code in rows:
        if name in documented:
            problems.append(f"{FILES['docs']}: two rows for `{name}`")
        documented[name] = (value, exit_code)
    for code, value in codes:
        if code not in documented:
            problems.append(f"{FILES['docs']}: no row for `{code}`: add | `{code}` | {value} | {exits.get(code, '?')} | … |")
            continue
        doc_value, doc_exit = documented[code]
        if doc_value != str(value):
            problems.append(f"{FILES['docs']}: `{code}` has value {doc_value}, but errc::{code} is {value}")
        if code in exits and doc_exit != str(exits[code]):
            problems.append(f"{FILES['docs']}: `{code}` has exit {doc_exit}, but exit_code_for gives {exits[code]}")
    for name in documented.keys() - by_name.keys():
        problems.append(f"{FILES['docs']}: a row for `{name}`, which is no migrate::errc")
    order = [name for name, _, _ in rows if name in by_name]
    if order != sorted(order, key=lambda n: by_name[n]):
        problems.append(f"{FILES['docs']}: the rows are not in the order of migrate::errc (by value)")

    # c_abi_test.c: the loop's bound.
    m = re.search(r"#define\s+LAST_ERRC\s+MIGRATE_ERRC_(\w+)", texts["c_test"])
    last_by_value = max(codes, key=lambda c: c[1])[0]
    if not m:
        problems.append(f"{FILES['c_test']}: no `#define LAST_ERRC MIGRATE_ERRC_…` (the bound of the loop over the codes)")
    elif m.group(1) != last_by_value.upper():
        problems.append(f"{FILES['c_test']}: LAST_ERRC is MIGRATE_ERRC_{m.group(1)}, but the last code is "
                        f"errc::{last_by_value}: make it MIGRATE_ERRC_{last_by_value.upper()}")
    return codes, problems


def read(source_dir):
    texts = {}
    for key, rel in FILES.items():
        path = Path(source_dir) / rel
        try:
            texts[key] = path.read_text(encoding="utf-8")
        except OSError as e:
            raise Problem(f"{rel}: cannot read ({e.strerror})")
    return texts


def breaks(codes):
    """Each place broken once, derived from the codes so it follows the tree: (file key, pattern, replacement)."""
    (first, _), (mid, mid_value) = codes[0], codes[len(codes) // 2]
    last, last_value = codes[-1]
    before_last = codes[-2][0] if len(codes) > 1 else first
    return [
        ("names", f'return "{mid}";', f'return "{mid}_renamed";'),
        ("names", rf'case errc::{last}:\s*return "{last}";', ""),
        ("c_header", rf"MIGRATE_ERRC_{mid.upper()}\s*=\s*{mid_value}\b", f"MIGRATE_ERRC_{mid.upper()} = {mid_value + 1}"),
        ("c_header", rf"MIGRATE_ERRC_{last.upper()}\s*=\s*{last_value}\s*,", ""),
        ("exit_codes", rf"case errc::{first}:", ""),
        ("exit_values", r"\b(exit_\w+\s*=\s*)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 100)),
        ("docs", rf"\| `{mid}` \| {mid_value} \|", f"| `{mid}` | {mid_value + 1} |"),
        ("docs", rf"(\| `{first}` \| \d+ \| )(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 1)),
        ("docs", rf"^\| `{last}` \|.*\n", ""),
        ("c_test", rf"LAST_ERRC\s+MIGRATE_ERRC_{last.upper()}\b", f"LAST_ERRC MIGRATE_ERRC_{before_last.upper()}"),
        ("enum", rf"(\n\s*){last}\s*,", rf"\g<0>\1{last}_successor,"),
    ]


def self_test(source_dir):
    """Breaks each place once and expects the check to report it: the check can fail."""
    texts = read(source_dir)
    codes, problems = check(texts)
    if problems:
        print("the tree itself disagrees; fix that first:\n  " + "\n  ".join(problems))
        return 1
    failures = 0
    for key, pattern, replacement in breaks(codes):
        broken_text, count = re.subn(pattern, replacement, texts[key], flags=re.M)
        if count == 0:
            print(f"FAILED: /{pattern}/ matches nothing in {FILES[key]}: update breaks() to the file's form")
            failures += 1
            continue
        try:
            _, found = check(dict(texts, **{key: broken_text}))
        except Problem as e:
            found = [str(e)]
        if found:
            print(f"ok: {FILES[key]} broken at /{pattern}/ is reported: {found[0]}")
        else:
            print(f"FAILED: {FILES[key]} broken at /{pattern}/ is not reported")
            failures += 1
    return 1 if failures else 0


def main(argv):
    args = argv[1:]
    if args[:1] == ["--self-test"] and len(args) == 2:
        return self_test(args[1])
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        codes, problems = check(read(args[0]))
    except Problem as e:
        problems = [str(e)]
        codes = []
    if problems:
        print(f"{len(problems)} disagreement(s) with enum migrate::errc ({FILES['enum']}):")
        for p in problems:
            print("  " + p)
        return 1
    print(f"{len(codes)} error codes agree: {', '.join(FILES.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
