// The retention run tables (retention_runs.hpp): their schema and every statement on them.
#include "core/storage/retention_runs.hpp"

#include "core/storage/accounts.hpp"
#include "core/storage/statement_rows.hpp"

namespace liaison::core {
namespace {

// `list` and `person` key an item: a person is in one list of a run.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS server_retention_runs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  proposed_by INTEGER NOT NULL,
  proposed_at INTEGER NOT NULL,
  today TEXT NOT NULL,
  rules TEXT NOT NULL,
  state TEXT NOT NULL,
  truncated INTEGER NOT NULL DEFAULT 0,
  decided_by INTEGER,
  decided_at INTEGER,
  finished_at INTEGER);
CREATE TABLE IF NOT EXISTS server_retention_items(
  run INTEGER NOT NULL,
  n INTEGER NOT NULL,
  list TEXT NOT NULL,
  person TEXT NOT NULL,
  rule TEXT NOT NULL,
  last_contact TEXT NOT NULL,
  last_kind TEXT NOT NULL,
  created TEXT NOT NULL,
  due_since TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  outcome_reason TEXT NOT NULL DEFAULT '',
  done_at INTEGER,
  PRIMARY KEY(run, n)) WITHOUT ROWID;
)sql";

constexpr const char* kRunColumns =
    "r.id, r.proposed_by, r.proposed_at, r.today, r.rules, r.state, r.truncated, r.decided_by, "
    "r.decided_at, r.finished_at, "
    "(SELECT count(*) FROM server_retention_items i WHERE i.run=r.id AND i.list='due'), "
    "(SELECT count(*) FROM server_retention_items i WHERE i.run=r.id AND i.list='due' AND "
    "i.outcome='erased'), "
    "(SELECT count(*) FROM server_retention_items i WHERE i.run=r.id AND i.list='due' AND "
    "i.outcome='skipped')";

std::optional<std::int64_t> opt_int(const Statement& s, int col) {
    if (s.column_is_null(col)) return std::nullopt;
    return s.column_int(col);
}

RetentionRun read_run(const Statement& s) {
    RetentionRun r;
    r.id = s.column_int(0);
    r.proposed_by = s.column_int(1);
    r.proposed_at = s.column_int(2);
    r.today = s.column_text(3);
    r.rules = s.column_text(4);
    r.state = s.column_text(5);
    r.truncated = s.column_int(6) != 0;
    r.decided_by = opt_int(s, 7);
    r.decided_at = opt_int(s, 8);
    r.finished_at = opt_int(s, 9);
    r.total = s.column_int(10);
    r.erased = s.column_int(11);
    r.skipped = s.column_int(12);
    return r;
}

// The runs the SQL after "FROM server_retention_runs r" keeps, bound to `arg` as ?1.
Result<std::vector<RetentionRun>> select_runs(Store& store, const char* tail, std::int64_t arg) {
    auto st = store.db().prepare(std::string("SELECT ") + kRunColumns +
                                 " FROM server_retention_runs r " + tail);
    if (!st) return st.status();
    st->bind(1, arg);
    std::vector<RetentionRun> out;
    LIAISON_TRY(each_row(st.value(), [&](const Statement& s) { out.push_back(read_run(s)); }));
    return out;
}

}  // namespace

Status ensure_retention_tables(Store& store) { return store.db().exec(kSchema); }

Result<std::int64_t> insert_retention_run(Store& store, std::int64_t proposed_by, std::int64_t at,
                                          const RetentionReport& report) {
    AccountsTxn t(store);
    LIAISON_TRY(t.begun());
    auto& run = store.db().cached(
        "INSERT INTO server_retention_runs(proposed_by, proposed_at, today, rules, state, "
        "truncated) VALUES(?1,?2,?3,?4,?5,?6) RETURNING id");
    run.bind(1, proposed_by)
        .bind(2, at)
        .bind(3, std::string_view(report.today))
        .bind(4, std::string_view(report.rules))
        .bind(5, kRunProposed)
        .bind(6, std::int64_t(report.truncated));
    auto made = run.run_returning_int();
    if (!made) return made.status();
    const std::int64_t id = made.value();
    auto& item = store.db().cached(
        "INSERT INTO server_retention_items(run, n, list, person, rule, last_contact, last_kind, "
        "created, due_since, reason) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
    std::int64_t n = 0;
    for (const auto& [list, people] :
         {std::pair{"due", &report.due}, std::pair{"held", &report.held},
          std::pair{"skipped", &report.skipped}}) {
        for (const auto& c : *people) {
            const std::string person = c.person.to_text();
            item.reset();  // run() leaves the statement done: bind anew for each row
            item.bind(1, id)
                .bind(2, ++n)
                .bind(3, std::string_view(list))
                .bind(4, std::string_view(person))
                .bind(5, std::string_view(c.rule))
                .bind(6, std::string_view(c.last_contact))
                .bind(7, std::string_view(c.last_contact_kind))
                .bind(8, std::string_view(c.created))
                .bind(9, std::string_view(c.due_since))
                .bind(10, std::string_view(c.reason));
            LIAISON_TRY(item.run());
        }
    }
    LIAISON_TRY(t.commit());
    return id;
}

Result<std::vector<RetentionRun>> list_retention_runs(Store& store, std::int64_t limit) {
    return select_runs(store, "ORDER BY r.id DESC LIMIT ?1", limit);
}

Result<std::optional<RetentionRun>> find_retention_run(Store& store, std::int64_t id) {
    auto runs = select_runs(store, "WHERE r.id=?1", id);
    if (!runs) return runs.status();
    if (runs->empty()) return std::optional<RetentionRun>{};
    return std::optional<RetentionRun>(std::move(runs->front()));
}

Result<std::vector<RetentionItem>> retention_items(Store& store, std::int64_t run) {
    auto st = store.db().prepare(
        "SELECT list, person, rule, last_contact, last_kind, created, due_since, reason, outcome, "
        "outcome_reason FROM server_retention_items WHERE run=?1 ORDER BY n");
    if (!st) return st.status();
    st->bind(1, run);
    std::vector<RetentionItem> out;
    LIAISON_TRY(each_row(st.value(), [&](const Statement& s) {
        RetentionItem i;
        i.list = s.column_text(0);
        if (auto id = Id128::from_text(s.column_text(1))) i.candidate.person = *id;
        i.candidate.rule = s.column_text(2);
        i.candidate.last_contact = s.column_text(3);
        i.candidate.last_contact_kind = s.column_text(4);
        i.candidate.created = s.column_text(5);
        i.candidate.due_since = s.column_text(6);
        i.candidate.reason = s.column_text(7);
        i.outcome = s.column_text(8);
        i.outcome_reason = s.column_text(9);
        out.push_back(std::move(i));
    }));
    return out;
}

Result<bool> decide_retention_run(Store& store, std::int64_t run, std::string_view from,
                                  std::string_view to, std::int64_t by, std::int64_t at) {
    auto& st = store.db().cached(
        "UPDATE server_retention_runs SET state=?3, decided_by=?4, decided_at=?5 "
        "WHERE id=?1 AND state=?2");
    st.bind(1, run).bind(2, from).bind(3, to).bind(4, by).bind(5, at);
    LIAISON_TRY(st.run());
    return store.db().changes() == 1;
}

Status record_retention_outcome(Store& store, std::int64_t run, const Id128& person,
                                std::string_view outcome, std::string_view reason,
                                std::int64_t at) {
    auto& st = store.db().cached(
        "UPDATE server_retention_items SET outcome=?3, outcome_reason=?4, done_at=?5 "
        "WHERE run=?1 AND list='due' AND person=?2");
    const std::string id = person.to_text();
    st.bind(1, run).bind(2, std::string_view(id)).bind(3, outcome).bind(4, reason).bind(5, at);
    return st.run();
}

Status finish_retention_run(Store& store, std::int64_t run, std::string_view state,
                            std::int64_t at) {
    auto& st =
        store.db().cached("UPDATE server_retention_runs SET state=?2, finished_at=?3 WHERE id=?1");
    st.bind(1, run).bind(2, state).bind(3, at);
    return st.run();
}

}  // namespace liaison::core
