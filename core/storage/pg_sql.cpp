#include "core/storage/pg_sql.hpp"

#include <cctype>
#include <vector>

namespace liaison::core {

namespace {

enum class Tok { kSpace, kComment, kWord, kNumber, kString, kQuoted, kParam, kBlob, kPunct };

struct Token {
    Tok kind;
    std::string_view text;
};

bool word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Splits `sql` into tokens; a quote that never closes is an error (its text would otherwise be
// read as SQL). Literals keep their quotes.
Result<std::vector<Token>> tokenize(std::string_view sql) {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = sql.size();
    auto quoted = [&](char q) -> std::size_t {  // end of a literal opened at i (after doubling)
        std::size_t j = i + 1;
        for (;;) {
            if (j >= n) return std::string_view::npos;
            if (sql[j] == q) {
                if (j + 1 < n && sql[j + 1] == q) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            ++j;
        }
    };
    while (i < n) {
        const char c = sql[i];
        std::size_t j = i + 1;
        Tok kind = Tok::kPunct;
        if (std::isspace(static_cast<unsigned char>(c))) {
            while (j < n && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
            kind = Tok::kSpace;
        } else if (c == '-' && j < n && sql[j] == '-') {
            while (j < n && sql[j] != '\n') ++j;
            kind = Tok::kComment;
        } else if (c == '/' && j < n && sql[j] == '*') {
            const auto end = sql.find("*/", j + 1);
            if (end == std::string_view::npos) return Status::invalid("unterminated /* comment");
            j = end + 2;
            kind = Tok::kComment;
        } else if (c == '\'' || c == '"') {
            j = quoted(c);
            if (j == std::string_view::npos)
                return Status::invalid(std::string(c == '\'' ? "unterminated string literal"
                                                             : "unterminated quoted identifier"));
            kind = c == '\'' ? Tok::kString : Tok::kQuoted;
        } else if ((c == 'x' || c == 'X') && j < n && sql[j] == '\'') {
            ++i;  // the literal starts at the quote
            j = quoted('\'');
            --i;
            if (j == std::string_view::npos) return Status::invalid("unterminated blob literal");
            kind = Tok::kBlob;
        } else if (c == '?') {
            while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
            kind = Tok::kParam;
        } else if (word_start(c)) {
            while (j < n && word_char(sql[j])) ++j;
            kind = Tok::kWord;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            while (j < n && (word_char(sql[j]) || sql[j] == '.')) ++j;
            kind = Tok::kNumber;
        }
        out.push_back({kind, sql.substr(i, j - i)});
        i = j;
    }
    return out;
}

std::string upper(std::string_view s) {
    std::string u(s);
    for (auto& c : u) c = char(std::toupper(static_cast<unsigned char>(c)));
    return u;
}

bool significant(const Token& t) { return t.kind != Tok::kSpace && t.kind != Tok::kComment; }

// The statement as quoted in a refusal: its text with runs of white space folded, cut short.
std::string quote_statement(const std::vector<Token>& toks, std::size_t from, std::size_t to) {
    constexpr std::size_t kMaxQuoted = 240;
    std::string s;
    for (std::size_t i = from; i < to; ++i) {
        if (toks[i].kind == Tok::kSpace || toks[i].kind == Tok::kComment) {
            if (!s.empty() && s.back() != ' ') s += ' ';
        } else {
            s += toks[i].text;
        }
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (s.size() > kMaxQuoted) s = s.substr(0, kMaxQuoted) + "...";
    return s;
}

// What SQLite has and PostgreSQL does not: functions (refused when called) and words.
constexpr const char* kRefusedFunctions[] = {"PRINTF",   "HEX",       "GROUP_CONCAT",
                                             "STRFTIME", "JULIANDAY", "UNIXEPOCH"};
constexpr const char* kRefusedWords[] = {"FTS5",          "MATCH",          "ROWID",
                                         "_ROWID_",       "GLOB",           "SQLITE_MASTER",
                                         "SQLITE_SCHEMA", "SQLITE_SEQUENCE"};

// Translates tokens [from, to) of one statement (no ';' among them) onto `out`.
Status translate_statement(const std::vector<Token>& toks, std::size_t from, std::size_t to,
                           int& max_param, std::string& out) {
    std::vector<std::size_t> sig;  // indices of the statement's significant tokens
    for (std::size_t i = from; i < to; ++i)
        if (significant(toks[i])) sig.push_back(i);
    auto word = [&](std::size_t k) -> std::string {
        if (k >= sig.size() || toks[sig[k]].kind != Tok::kWord) return {};
        return upper(toks[sig[k]].text);
    };
    auto punct = [&](std::size_t k, char c) {
        return k < sig.size() && toks[sig[k]].kind == Tok::kPunct && toks[sig[k]].text[0] == c;
    };
    auto refuse = [&](const std::string& construct) {
        return Status::invalid(construct + " has no PostgreSQL equivalent (SQLite only), in: " +
                               quote_statement(toks, from, to));
    };
    const bool ddl = (word(0) == "CREATE" &&
                      (word(1) == "TABLE" ||
                       ((word(1) == "TEMP" || word(1) == "TEMPORARY") && word(2) == "TABLE"))) ||
                     (word(0) == "ALTER" && word(1) == "TABLE");
    if (word(0) == "PRAGMA") return refuse("PRAGMA");
    if (word(0) == "REPLACE") return refuse("REPLACE INTO");

    const std::size_t start = out.size();
    std::size_t returning_at = std::string::npos;  // where a top-level RETURNING begins in out
    bool on_conflict_nothing = false;
    std::vector<bool> skip(sig.size(), false);
    std::vector<bool> identity(sig.size(), false);  // an INTEGER PRIMARY KEY column's INTEGER
    for (std::size_t k = 0; k < sig.size(); ++k) {
        const Token& t = toks[sig[k]];
        if (t.kind != Tok::kWord) continue;
        const std::string w = word(k);
        if (w == "INSERT" && word(k + 1) == "OR") {
            const std::string what = word(k + 2);
            if (what != "IGNORE") return refuse("INSERT OR " + what);
            skip[k + 1] = skip[k + 2] = true;
            on_conflict_nothing = true;
        }
        // SQLite assigns an INTEGER PRIMARY KEY the next key when none is given (and with
        // AUTOINCREMENT never reuses one); an identity column does both on PostgreSQL.
        if (ddl && w == "INTEGER" && word(k + 1) == "PRIMARY" && word(k + 2) == "KEY") {
            identity[k] = true;
            if (word(k + 3) == "AUTOINCREMENT") skip[k + 3] = true;
        }
        if (w == "WITHOUT" && word(k + 1) == "ROWID") {
            skip[k] = skip[k + 1] = true;
            ++k;
            continue;
        }
        if (punct(k + 1, '(')) {
            for (const char* f : kRefusedFunctions)
                if (w == f) return refuse(w + "(");
            if (w.rfind("PRAGMA_", 0) == 0) return refuse(w + "(");
        }
        for (const char* r : kRefusedWords)
            if (w == r) return refuse(w);
        if (w == "COLLATE" && word(k + 1) != "BINARY")
            return refuse("COLLATE " +
                          std::string(k + 1 < sig.size() ? toks[sig[k + 1]].text : ""));
    }
    // Emit, token by token; white space and comments as they were.
    std::size_t k = 0;
    int depth = 0;         // of parentheses: a RETURNING inside a sub-query is not the statement's
    bool dropped = false;  // the last significant token was dropped: so is the space after it
    for (std::size_t i = from; i < to; ++i) {
        const Token& t = toks[i];
        if (!significant(t)) {
            if (!(dropped && t.kind == Tok::kSpace)) out += t.text;
            continue;
        }
        const std::size_t at = k++;
        dropped = skip[at];
        if (dropped) {
            // "KEY AUTOINCREMENT," reads "KEY," rather than "KEY ,".
            if (at + 1 < sig.size() && toks[sig[at + 1]].kind == Tok::kPunct)
                while (out.size() > start && out.back() == ' ') out.pop_back();
            continue;
        }
        const std::string w = t.kind == Tok::kWord ? upper(t.text) : std::string();
        switch (t.kind) {
            case Tok::kParam: {
                int number = 0;
                if (t.text.size() == 1) {
                    number = max_param + 1;
                } else {
                    if (t.text.size() > 6) return refuse(std::string(t.text) + " (too large)");
                    number = std::stoi(std::string(t.text.substr(1)));
                    if (number < 1) return refuse(std::string(t.text) + " (parameters start at 1)");
                }
                if (number > max_param) max_param = number;
                out += '$';
                out += std::to_string(number);
                break;
            }
            case Tok::kBlob: {
                const std::string_view hex = t.text.substr(2, t.text.size() - 3);
                for (char c : hex)
                    if (!std::isxdigit(static_cast<unsigned char>(c)))
                        return Status::invalid("malformed blob literal " + std::string(t.text));
                if (hex.size() % 2)
                    return Status::invalid("odd blob literal " + std::string(t.text));
                out += "'\\x";
                out += hex;
                out += "'::bytea";
                break;
            }
            case Tok::kWord:
                if (w == "RETURNING" && depth == 0 && returning_at == std::string::npos)
                    returning_at = out.size();
                if (w == "BLOB") {
                    out += "BYTEA";
                } else if (identity[at]) {
                    out += "BIGINT GENERATED BY DEFAULT AS IDENTITY";
                } else if (w == "INTEGER") {
                    out += "BIGINT";
                } else if (w == "TEXT" && ddl && word(at + 1) != "COLLATE") {
                    out += "TEXT COLLATE \"C\"";
                } else if (w == "BINARY" && at > 0 && word(at - 1) == "COLLATE") {
                    out += "\"C\"";
                } else if (w == "IFNULL" && punct(at + 1, '(')) {
                    out += "coalesce";
                } else if (w == "INSTR" && punct(at + 1, '(')) {
                    out += "strpos";  // the same arguments, and 0 when not found
                } else {
                    out += t.text;
                }
                break;
            default:
                if (t.kind == Tok::kPunct && t.text[0] == '(') ++depth;
                if (t.kind == Tok::kPunct && t.text[0] == ')') --depth;
                out += t.text;
        }
    }
    if (on_conflict_nothing) {
        constexpr std::string_view kClause = " ON CONFLICT DO NOTHING";
        if (returning_at != std::string::npos) {
            out.insert(returning_at, std::string(kClause.substr(1)) + " ");
        } else {
            std::size_t end = out.size();
            while (end > start && std::isspace(static_cast<unsigned char>(out[end - 1]))) --end;
            out.insert(end, kClause);
        }
    }
    return Status::ok();
}

}  // namespace

Result<PgSql> translate_for_postgres(std::string_view sqlite_sql) {
    auto toks = tokenize(sqlite_sql);
    if (!toks) return toks.status();
    const auto& t = toks.value();
    PgSql r;
    r.text.reserve(sqlite_sql.size() + 16);
    std::size_t from = 0;
    for (std::size_t i = 0; i <= t.size(); ++i) {
        if (i < t.size() && !(t[i].kind == Tok::kPunct && t[i].text[0] == ';')) continue;
        LIAISON_TRY(translate_statement(t, from, i, r.params, r.text));
        if (i < t.size()) r.text += ';';
        from = i + 1;
    }
    return r;
}

}  // namespace liaison::core
