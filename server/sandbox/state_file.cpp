#include "server/sandbox/state_file.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace kmcp::sandbox {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sandbox state: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() { return statement_; }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

std::string column_text(sqlite3_stmt* s, int i) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

}  // namespace

struct StateFile::Impl {
  sqlite3* db = nullptr;
  std::string path;

  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string reason = message ? message : "unknown error";
      sqlite3_free(message);
      throw std::runtime_error("sandbox state file " + path + ": " + reason);
    }
  }
};

StateFile::StateFile(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  if (sqlite3_open_v2(path.c_str(), &impl_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string reason = impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory";
    sqlite3_close(impl_->db);
    impl_->db = nullptr;
    throw std::runtime_error("cannot open sandbox state file " + path + ": " + reason);
  }
  impl_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
              "CREATE TABLE IF NOT EXISTS resources (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,"
              " document TEXT NOT NULL);"
              "CREATE TABLE IF NOT EXISTS counters (type TEXT PRIMARY KEY, value INTEGER NOT NULL);");
}

StateFile::~StateFile() { sqlite3_close(impl_->db); }

bool StateFile::load(ResourceStore& store) {
  Statement rows(impl_->db, "SELECT document FROM resources ORDER BY seq");
  bool any = false;
  for (int rc; (rc = sqlite3_step(rows.get())) == SQLITE_ROW;) {
    boost::system::error_code ec;
    json::value document = json::parse(column_text(rows.get(), 0), ec);
    if (ec || !document.is_object())
      throw std::runtime_error("sandbox state file " + impl_->path + " holds a record that is not JSON");
    store.put(std::move(document.get_object()));
    any = true;
  }
  Statement counters(impl_->db, "SELECT type, value FROM counters");
  while (sqlite3_step(counters.get()) == SQLITE_ROW)
    store.set_counter(column_text(counters.get(), 0), static_cast<std::uint64_t>(sqlite3_column_int64(counters.get(), 1)));
  return any;
}

std::optional<std::string> StateFile::save(const ResourceStore& store) {
  try {
    impl_->exec("BEGIN IMMEDIATE; DELETE FROM resources; DELETE FROM counters;");
    {
      Statement insert(impl_->db, "INSERT INTO resources (type, id, document) VALUES (?, ?, ?)");
      for (const std::string& type : store.types())
        for (const Resource* resource : store.all(type)) {
          const std::string id(resource->at("id").as_string());
          const std::string document = json::serialize(*resource);
          sqlite3_bind_text(insert.get(), 1, type.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(insert.get(), 2, id.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(insert.get(), 3, document.c_str(), static_cast<int>(document.size()), SQLITE_TRANSIENT);
          if (sqlite3_step(insert.get()) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(impl_->db));
          sqlite3_reset(insert.get());
        }
      Statement counter(impl_->db, "INSERT INTO counters (type, value) VALUES (?, ?)");
      for (const auto& [type, value] : store.counters()) {
        sqlite3_bind_text(counter.get(), 1, type.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(counter.get(), 2, static_cast<sqlite3_int64>(value));
        if (sqlite3_step(counter.get()) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(impl_->db));
        sqlite3_reset(counter.get());
      }
    }
    impl_->exec("COMMIT;");
    return std::nullopt;
  } catch (const std::exception& e) {
    sqlite3_exec(impl_->db, "ROLLBACK;", nullptr, nullptr, nullptr);
    return std::string("cannot save sandbox state to ") + impl_->path + ": " + e.what();
  }
}

}  // namespace kmcp::sandbox
