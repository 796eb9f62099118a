// Whether one column type holds every value of another (narrowing-type). Text capacities assume
// utf8mb4 (4 bytes a character), the default of MySQL 8 and of drizzle's tables.
#include "schema_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace migrate::lint {
namespace {

using sql::Type;

long long arg(const Type& t, std::size_t i, long long fallback = 0) {
    if (i >= t.args.size()) return fallback;
    try {
        return std::stoll(t.args[i]);
    } catch (const std::exception&) {
        return fallback;
    }
}

int integer_bits(const Type& t) {
    if (t.name == "tinyint") return 8;
    if (t.name == "smallint") return 16;
    if (t.name == "mediumint") return 24;
    if (t.name == "int") return 32;
    return 64;
}

// Decimal digits of the largest value of an integer type.
int integer_digits(const Type& t) {
    static const int u[] = {3, 5, 8, 10, 20}, s[] = {3, 5, 7, 10, 19};
    const int k = integer_bits(t) == 8    ? 0
                  : integer_bits(t) == 16 ? 1
                  : integer_bits(t) == 24 ? 2
                  : integer_bits(t) == 32 ? 3
                                          : 4;
    return t.is_unsigned ? u[k] : s[k];
}

bool is_string(const Type& t) {
    return t.name == "char" || t.name == "varchar" || t.name == "tinytext" || t.name == "text" ||
           t.name == "mediumtext" || t.name == "longtext";
}
bool is_binary(const Type& t) {
    return t.name == "binary" || t.name == "varbinary" || t.name == "tinyblob" || t.name == "blob" ||
           t.name == "mediumblob" || t.name == "longblob";
}

// Characters a string type holds (bytes for binary types).
long long capacity(const Type& t) {
    if (t.name == "char" || t.name == "varchar" || t.name == "binary" || t.name == "varbinary") return arg(t, 0);
    const bool bin = is_binary(t);
    const int per_char = bin ? 1 : 4;
    if (t.name == "tinytext" || t.name == "tinyblob") return 255 / per_char;
    if (t.name == "text" || t.name == "blob") return 65535 / per_char;
    if (t.name == "mediumtext" || t.name == "mediumblob") return 16777215 / per_char;
    return 4294967295LL / per_char;  // longtext, longblob, json
}

// The longest text a value of `t` renders as (for conversions to a string type); 0: unknown.
long long rendered_length(const Type& t) {
    if (sql::is_integer_type(t)) return integer_digits(t) + (t.is_unsigned ? 0 : 1);
    if (t.name == "decimal") return arg(t, 0, 10) + 2;
    if (t.name == "double") return 23;
    if (t.name == "float") return 12;
    if (t.name == "date") return 10;
    if (t.name == "year") return 4;
    if (t.name == "time") return 10 + (arg(t, 0) ? arg(t, 0) + 1 : 0);
    if (t.name == "datetime" || t.name == "timestamp") return 19 + (arg(t, 0) ? arg(t, 0) + 1 : 0);
    if (t.name == "enum") {
        std::size_t n = 0;
        for (const auto& v : t.args) n = std::max(n, v.size());
        return static_cast<long long>(n);
    }
    if (t.name == "set") {
        std::size_t n = t.args.empty() ? 0 : t.args.size() - 1;
        for (const auto& v : t.args) n += v.size();
        return static_cast<long long>(n);
    }
    if (t.name == "json") return capacity(t);
    if (is_string(t) || is_binary(t)) return capacity(t);
    return 0;
}

std::string describe(const Type& t) { return sql::render(t); }

std::optional<std::string> integer_to_integer(const Type& f, const Type& t) {
    const int fb = integer_bits(f), tb = integer_bits(t);
    bool ok;
    if (f.is_unsigned == t.is_unsigned)
        ok = tb >= fb;
    else if (f.is_unsigned)
        ok = tb > fb;  // signed needs one more bit for the same maximum
    else
        ok = false;  // unsigned cannot hold negative values
    if (ok) return std::nullopt;
    return fmt::format("{} cannot hold every {} value", describe(t), describe(f));
}

}  // namespace

std::optional<std::string> narrowing(const Type& from, const Type& to) {
    if (from == to) return std::nullopt;
    const auto& f = from;
    const auto& t = to;
    using sql::is_integer_type;
    auto lost = [&](std::string why) { return std::optional<std::string>(std::move(why)); };
    auto shorter = [&](long long need, long long have) -> std::optional<std::string> {
        if (have >= need) return std::nullopt;
        return lost(
            fmt::format("{} holds {} characters, {} values need up to {}", describe(t), have, describe(f), need));
    };

    if (is_integer_type(f) && is_integer_type(t)) return integer_to_integer(f, t);
    if (is_integer_type(f) && t.name == "decimal") {
        if (arg(t, 0) - arg(t, 1) >= integer_digits(f)) return std::nullopt;
        return lost(fmt::format("{} has fewer integer digits than {} values", describe(t), describe(f)));
    }
    if (is_integer_type(f) && (t.name == "double" || t.name == "float")) {
        const int exact_bits = t.name == "double" ? 53 : 24;
        if (integer_bits(f) < exact_bits) return std::nullopt;
        return lost(fmt::format("{} rounds large {} values", describe(t), describe(f)));
    }
    if (f.name == "decimal" && t.name == "decimal") {
        if (arg(t, 0) - arg(t, 1) >= arg(f, 0) - arg(f, 1) && arg(t, 1) >= arg(f, 1)) return std::nullopt;
        return lost(fmt::format("{} has fewer digits than {}", describe(t), describe(f)));
    }
    if (f.name == "decimal" && is_integer_type(t) && arg(f, 1) == 0) {
        const Type wide{t.name, {}, t.is_unsigned};
        if (integer_digits(wide) > arg(f, 0) && !t.is_unsigned) return std::nullopt;
        return lost(fmt::format("{} cannot hold every {} value", describe(t), describe(f)));
    }
    if ((f.name == "float" && t.name == "double")) return std::nullopt;
    if (f.name == "double" && t.name == "float") return lost("float keeps fewer digits than double");
    if (f.name == "decimal" && (t.name == "double" || t.name == "float")) {
        if (arg(f, 0) <= (t.name == "double" ? 15 : 6)) return std::nullopt;
        return lost(fmt::format("{} rounds {} values", describe(t), describe(f)));
    }
    if ((is_string(f) && is_string(t)) || (is_binary(f) && is_binary(t)) || (f.name == "json" && is_string(t)))
        return shorter(capacity(f), capacity(t));
    if ((f.name == "enum" || f.name == "set") && f.name == t.name) {
        for (const auto& v : f.args)
            if (std::find(t.args.begin(), t.args.end(), v) == t.args.end())
                return lost(fmt::format("value '{}' is no longer allowed", v));
        return std::nullopt;
    }
    if (is_string(t) || is_binary(t)) {
        if (is_string(f) || is_binary(f)) return shorter(capacity(f), capacity(t));
        const auto need = rendered_length(f);
        if (need > 0) return shorter(need, capacity(t));
    }
    if (f.name == "date" && (t.name == "datetime" || t.name == "timestamp")) {
        if (t.name == "datetime") return std::nullopt;
        return lost("timestamp covers only 1970-2038");
    }
    if ((f.name == "datetime" || f.name == "timestamp") && (t.name == "datetime" || t.name == "timestamp")) {
        if (arg(t, 0) < arg(f, 0)) return lost("fewer fractional-second digits");
        if (f.name == "datetime" && t.name == "timestamp") return lost("timestamp covers only 1970-2038");
        return std::nullopt;
    }
    if (f.name == "time" && t.name == "time") {
        if (arg(t, 0) < arg(f, 0)) return lost("fewer fractional-second digits");
        return std::nullopt;
    }
    if (f.name == "year" && is_integer_type(t) && integer_bits(t) >= 16) return std::nullopt;
    return lost(
        fmt::format("converting {} to {} loses or rejects values that do not convert", describe(f), describe(t)));
}

}  // namespace migrate::lint
