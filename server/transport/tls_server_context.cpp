#include "server/transport/tls_server_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace kmcp {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_tls_server_context(const std::string& certificate_file,
                                                      const std::string& private_key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1)
    throw std::runtime_error("TLS: cannot require TLS 1.2 or newer");
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                       ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(certificate_file, ec);
  if (ec)
    throw std::runtime_error("TLS: cannot load the certificate chain (PEM) from '" + certificate_file +
                             "': " + ec.message());
  context->use_private_key_file(private_key_file, ssl::context::pem, ec);
  if (ec)
    throw std::runtime_error("TLS: cannot load the private key (PEM) from '" + private_key_file + "' for '" +
                             certificate_file + "': " + ec.message());
  if (SSL_CTX_check_private_key(context->native_handle()) != 1)
    throw std::runtime_error("TLS: the private key in '" + private_key_file + "' does not match the certificate in '" +
                             certificate_file + "'");
  return context;
}

}  // namespace kmcp
