#pragma once
// The one TLS client configuration every upstream connection shares.
#include <boost/asio/ssl/context.hpp>
#include <string>

namespace kmcp {

// TLS 1.2 or newer, peer verification on, the system's default CA paths plus `extra_ca_file`
// (PEM) when it is not empty. Host-name checks are per connection (see upstream_connection).
// Throws std::runtime_error when the CA file cannot be loaded (a startup error).
boost::asio::ssl::context make_tls_client_context(const std::string& extra_ca_file);

}  // namespace kmcp
