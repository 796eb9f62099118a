// `migrate lint --format sarif` against the official SARIF 2.1.0 JSON schema (validate-sarif.mjs: the schema
// from @microsoft/jest-sarif, checked with ajv), for the corpus and for every kind of result.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace testing;

namespace {

// Writes the CLI's SARIF to a file and validates it; returns the validator's result.
ProcessResult validate(const std::vector<std::string>& lint_args, const TempDir& tmp, int expected_exit) {
    auto lint = run_cli(lint_args);
    REQUIRE(lint.exit_code == expected_exit);
    const auto file = tmp.path() / "lint.sarif";
    write_file(file, lint.out);
    return run_node("validate-sarif.mjs", {file.string()});
}

}  // namespace

TEST_CASE("lint sarif: the openinsure corpus validates against the SARIF 2.1.0 schema") {
    TempDir tmp;
    const auto config = (corpus_folder("") / "migrate.json").string();
    for (auto flavor : {"mysql", "mariadb"}) {
        INFO(flavor);
        auto r = validate({"lint", "--format", "sarif", "--config", config, "--flavor", flavor}, tmp, 0);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::StartsWith("valid: Static Analysis Results Format (SARIF) Version 2.1.0"));
    }
}

TEST_CASE("lint sarif: errors, suppressed results and whole-file results validate") {
    TempDir tmp;
    TempDir dir;
    write_folder(dir.path(), {{"0000_a",
                               "-- migrate:lint-ignore destructive-drop-table gone since v2\nDROP TABLE `x`;"
                               "--> statement-breakpoint\nALTER TABLE `y` ADD COLUMN IF NOT EXISTS `z` int;"}});
    write_file(dir.path() / "0001 unlisted file.sql", "SELECT 1;");  // a whole-file result, a URI with a space
    auto r = validate({"lint", "--format", "sarif", dir.path().string()}, tmp, 1);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("valid:"));
}

TEST_CASE("lint sarif: the validator rejects what the schema forbids") {
    TempDir tmp;
    const auto file = tmp.path() / "bad.sarif";
    write_file(file, R"({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]})");
    auto r = run_node("validate-sarif.mjs", {file.string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("must have required property 'name'"));
    CHECK_THAT(r.out, Catch::Contains("must be equal to one of the allowed values"));
}
