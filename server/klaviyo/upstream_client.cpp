#include "server/klaviyo/upstream_client.hpp"

#include <stdexcept>

namespace kmcp {

std::string_view to_string(UpstreamFailure::Kind kind) {
  switch (kind) {
    case UpstreamFailure::Kind::connect: return "connect";
    case UpstreamFailure::Kind::tls: return "tls";
    case UpstreamFailure::Kind::timeout: return "timeout";
    case UpstreamFailure::Kind::reset: return "reset";
    case UpstreamFailure::Kind::cancelled: return "cancelled";
    case UpstreamFailure::Kind::protocol: return "protocol";
  }
  return "unknown";
}

void throw_exception_from_error(const UpstreamFailure& failure, const boost::source_location&) {
  throw std::runtime_error("upstream " + std::string(to_string(failure.kind)) + ": " + failure.message);
}

}  // namespace kmcp
