#include "server/klaviyo/tls_client_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace kmcp {

namespace ssl = boost::asio::ssl;

ssl::context make_tls_client_context(const std::string& extra_ca_file) {
  ssl::context context(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    throw std::runtime_error("cannot require TLS 1.2 or newer");
  }
  context.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  context.set_verify_mode(ssl::verify_peer);

  boost::system::error_code ec;
  // A host without system CAs can still work with an explicit CA file, so this is not fatal.
  context.set_default_verify_paths(ec);
  if (!extra_ca_file.empty()) {
    context.load_verify_file(extra_ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file '" + extra_ca_file + "': " + ec.message());
  }
  return context;
}

}  // namespace kmcp
