// read_json (json_document.hpp): parse, and on failure parse again with a SAX recorder, which nlohmann
// hands every error (a syntax error and a number too large for a double alike) with its position.
#include "json_document.hpp"

namespace migrate::source {
namespace {

using json = nlohmann::json;

// Accepts every value and keeps the first error: only run on a text json::parse refused.
class ErrorRecorder final : public nlohmann::json_sax<json> {
  public:
    std::size_t byte = 0;
    std::string what;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        byte = position;
        what = e.what();
        return false;
    }
};

template <class Json>
JsonDocument<Json> read(std::string_view text) {
    JsonDocument<Json> doc;
    // No exceptions on the common path: a refused text comes back discarded.
    doc.value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!doc.value.is_discarded()) return doc;
    doc.value = nullptr;
    ErrorRecorder recorder;
    json::sax_parse(text, &recorder);
    doc.error = json_syntax_error(text, recorder.byte, recorder.what);
    return doc;
}

}  // namespace

JsonDocument<nlohmann::json> read_json(std::string_view text) { return read<nlohmann::json>(text); }
JsonDocument<nlohmann::ordered_json> read_ordered_json(std::string_view text) {
    return read<nlohmann::ordered_json>(text);
}

JsonSyntaxError json_syntax_error(std::string_view text, std::size_t byte, std::string_view what) {
    // nlohmann counts the byte it stopped at from 1 (0 when it read none).
    JsonSyntaxError e{.position = position_of(text, byte == 0 ? 0 : byte - 1), .reason = std::string(what)};
    if (what.starts_with("[json.exception."))
        if (auto end = what.find("] "); end != std::string_view::npos) e.reason = what.substr(end + 2);
    return e;
}

}  // namespace migrate::source
