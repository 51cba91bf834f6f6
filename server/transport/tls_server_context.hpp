#pragma once
// The listener's TLS settings: a certificate chain and its private key from PEM files,
// TLS 1.2 or newer.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace kmcp {

// Throws std::runtime_error naming the file at fault (startup only).
std::shared_ptr<boost::asio::ssl::context> make_tls_server_context(const std::string& certificate_file,
                                                                   const std::string& private_key_file);

}  // namespace kmcp
