#pragma once
// Throwaway TLS material for loopback tests, generated in memory with OpenSSL 3: a CA and a
// server certificate it signed, valid for IP 127.0.0.1 and DNS localhost.
#include <string>

namespace kmcp {

struct TestCertificates {
  std::string ca_certificate_pem;
  std::string server_certificate_pem;
  std::string server_private_key_pem;
};

// Throws std::runtime_error if OpenSSL fails (a broken test environment).
TestCertificates generate_test_certificates();

}  // namespace kmcp
