#include "server/klaviyo/tls_client_context.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace kmcp {

namespace ssl = boost::asio::ssl;

namespace {

// Whether `dir` holds certificates under OpenSSL's subject-hash names ("002c0b4f.0").
bool has_hashed_certificates(const std::string& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() == 10 && name.compare(8, 2, ".0") == 0) return true;
  }
  return false;
}

// The system's CAs. Loading the bundle file parses every certificate in it up front (about
// 140: a third of the server's cold start), so where the system keeps a hashed directory the
// CAs are read from it as handshakes need them. SSL_CERT_FILE still means the file.
void use_system_cas(ssl::context& context) {
  boost::system::error_code ec;
  const char* dir_env = std::getenv(X509_get_default_cert_dir_env());
  const std::string dir = dir_env ? dir_env : X509_get_default_cert_dir();
  if (!std::getenv(X509_get_default_cert_file_env()) && has_hashed_certificates(dir) &&
      SSL_CTX_load_verify_dir(context.native_handle(), dir.c_str()) == 1)
    return;
  // A host without system CAs can still work with an explicit CA file, so this is not fatal.
  context.set_default_verify_paths(ec);
}

}  // namespace

ssl::context make_tls_client_context(const std::string& extra_ca_file) {
  ssl::context context(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    throw std::runtime_error("cannot require TLS 1.2 or newer");
  }
  context.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  context.set_verify_mode(ssl::verify_peer);

  use_system_cas(context);
  if (!extra_ca_file.empty()) {
    boost::system::error_code ec;
    context.load_verify_file(extra_ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file '" + extra_ca_file + "': " + ec.message());
  }
  return context;
}

}  // namespace kmcp
