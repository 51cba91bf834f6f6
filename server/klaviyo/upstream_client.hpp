#pragma once
// The outbound HTTP(S) seam. The pipeline talks to this interface; production uses the Beast
// client, and tests point that same client at a fake upstream on loopback.
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"

namespace kmcp {

struct UpstreamRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // origin-form: "/api/profiles?page%5Bsize%5D=20"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;    // empty means no body
};

struct UpstreamResponse {
  unsigned status = 0;
  boost::beast::http::fields headers;
  std::string body;
};

struct UpstreamFailure {
  enum class Kind { connect, tls, timeout, reset, cancelled, protocol };
  Kind kind = Kind::connect;
  // True when the request may have reached the server (its outcome is unknown).
  bool maybe_sent = false;
  std::string message;  // for logs and the model; never contains secrets
};

std::string_view to_string(UpstreamFailure::Kind kind);

// Lets UpstreamResult::value() compile (found by ADL). Calling value() on a failure is a
// programming error: it throws std::runtime_error carrying the failure's message.
[[noreturn]] void throw_exception_from_error(const UpstreamFailure& failure, const boost::source_location& location);

using UpstreamResult = boost::system::result<UpstreamResponse, UpstreamFailure>;

// Called right before a request's first byte goes on the wire (again before a resend), from
// whatever executor the client writes on; it must be quick and thread-safe. The rate limiter
// counts the call from then, not from its admission (see RateLimiter::restamp).
using WriteHook = std::function<void()>;

class UpstreamClient {
 public:
  virtual ~UpstreamClient() = default;
  // Sends one request and reads the whole response, giving up at `deadline`. Honors the
  // awaiting coroutine's cancellation slot (the connection is then closed, not reused).
  // `on_write`, when set, is called as described above.
  virtual asio::awaitable<UpstreamResult> send(UpstreamRequest request, SteadyTime deadline, WriteHook on_write) = 0;
};

}  // namespace kmcp
