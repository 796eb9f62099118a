// The strict-JSON reader the user-written files share (libmigrate/src/source/json_document.hpp): where a
// syntax error is (line, column) and nlohmann's reason without its exception tag.
#include "source/json_document.hpp"

#include <catch2/catch.hpp>

using migrate::source::read_json;
using migrate::source::read_ordered_json;

TEST_CASE("read_json: valid input parses", "[json_document]") {
    auto doc = read_json("{\"b\": [1, 2.5, \"x\"], \"a\": {\"n\": null, \"t\": true}}\n");
    REQUIRE(doc);
    CHECK_FALSE(doc.error);
    CHECK(doc.value["b"][2] == "x");
    CHECK(doc.value["a"]["t"] == true);
    CHECK(read_json(" 7 ").value == 7);

    auto ordered = read_ordered_json(R"({"z": 1, "a": 2})");
    REQUIRE(ordered);
    CHECK(ordered.value.begin().key() == "z");  // the text's order, not sorted
}

TEST_CASE("read_json: a syntax error's line, column and reason", "[json_document]") {
    SECTION("on line 3 of a multi-line document") {
        auto doc = read_json("{\n  \"a\": 1,\n  \"b\": ,\n  \"c\": 3\n}\n");
        CHECK_FALSE(doc);
        REQUIRE(doc.error);
        CHECK(doc.value.is_null());
        CHECK(doc.error->position.line == 3);
        CHECK(doc.error->position.column == 8);  // the ','
        CHECK(doc.error->reason ==
              "parse error at line 3, column 8: syntax error while parsing value - unexpected ','; expected '[', "
              "'{', or a literal");
    }
    SECTION("an empty document") {
        for (const char* text : {"", "   ", "\n\n"}) {
            INFO("text: \"" << text << "\"");
            auto doc = read_json(text);
            REQUIRE(doc.error);
            CHECK_THAT(doc.error->reason,
                       Catch::StartsWith("parse error at line ") && Catch::Contains("unexpected end of input"));
        }
        auto empty = read_json("");
        CHECK(empty.error->position.line == 1);
        CHECK(empty.error->position.column == 1);
        auto blank_lines = read_json("\n\n");
        CHECK(blank_lines.error->position.line == 3);
        CHECK(blank_lines.error->position.column == 1);
    }
    SECTION("a trailing comma") {
        auto in_array = read_ordered_json("{\"a\": [1, 2,]}");
        REQUIRE(in_array.error);
        CHECK(in_array.error->position.line == 1);
        CHECK(in_array.error->position.column == 13);  // the ']'
        CHECK_THAT(in_array.error->reason, Catch::StartsWith("parse error at line 1, column 13: syntax error"));

        auto in_object = read_json("{\n  \"a\": 1,\n}");
        REQUIRE(in_object.error);
        CHECK(in_object.error->position.line == 3);
        CHECK(in_object.error->position.column == 1);  // the '}'
        CHECK_THAT(in_object.error->reason, Catch::Contains("expected string literal"));
    }
    SECTION("what strict JSON refuses") {
        for (const char* text : {"{\"a\": 1} // note", "{'a': 1}", "{\"a\": 1}}", "[1e999]", "[01]"}) {
            INFO("text: " << text);
            auto doc = read_json(text);
            REQUIRE(doc.error);
            CHECK_THAT(doc.error->reason, !Catch::Contains("[json.exception"));
            CHECK_FALSE(doc.error->reason.empty());
        }
        // A number too large for a double is nlohmann's out_of_range, not a parse_error: still a position.
        auto overflow = read_json("{\n  \"n\": 1e999\n}");
        REQUIRE(overflow.error);
        CHECK(overflow.error->position.line == 2);
        CHECK(overflow.error->reason == "number overflow parsing '1e999'");
    }
}
