#pragma once
// Mcp-Session-Id values: 128 bits from OpenSSL's CSPRNG as 32 lowercase hex digits (visible
// ASCII, as the spec requires). Whoever holds one can act in its session, so it must not be
// guessable.
#include <optional>
#include <string>

namespace kmcp {

// nullopt if the CSPRNG fails (it then cannot be trusted for this session).
std::optional<std::string> make_session_id();

}  // namespace kmcp
