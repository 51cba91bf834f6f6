#pragma once
// Sessions other replicas can continue. A replica that is asked for a session it does not hold
// looks it up here and adopts it; after every message a session handles, its record is
// published again, which also keeps it from expiring while in use. Calls under way, the GET
// stream and requests to the client (elicitation) stay with the replica that has them.
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/transport/session_record.hpp"

namespace kmcp {

class SessionDirectory {
 public:
  virtual ~SessionDirectory() = default;
  // `started`: the session has just been initialized. Otherwise the record only replaces one
  // still there, and false says the directory knows the session ended (a DELETE elsewhere, or
  // expired), so it ends here too; true when kept, or when the directory cannot tell.
  virtual asio::awaitable<bool> publish(SessionRecord record, bool started) = 0;
  // Nothing when the session is unknown, expired, or the directory cannot be reached.
  virtual asio::awaitable<std::optional<SessionRecord>> lookup(std::string id) = 0;
  // False only when the directory knows the session ended (a DELETE through another replica,
  // or expired): a replica that holds it must not serve it any longer. True when it cannot tell.
  virtual asio::awaitable<bool> still_open(std::string id) = 0;
  // The session ended for good (DELETE): no replica may continue it.
  virtual asio::awaitable<void> forget(std::string id) = 0;
};

}  // namespace kmcp
