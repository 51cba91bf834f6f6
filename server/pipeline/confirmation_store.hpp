#pragma once
// Where confirmation tokens are kept: this process's memory (LocalConfirmationStore), or a store
// every replica shares (server/shared) so a token issued by one is honoured, once, by any.
#include <chrono>
#include <string>

#include "server/core/json.hpp"
#include "server/pipeline/confirmation_tokens.hpp"

namespace kmcp {

class ConfirmationStore {
 public:
  virtual ~ConfirmationStore() = default;
  // A fresh single-use token for `binding` (see ConfirmationTokens).
  virtual asio::awaitable<std::string> issue(std::string binding) = 0;
  // Consumes `token`: ok when it was issued for `binding` and has not expired.
  virtual asio::awaitable<ConfirmationTokens::Redeemed> redeem(std::string token, std::string binding) = 0;
  virtual std::chrono::seconds lifetime() const = 0;
};

class LocalConfirmationStore final : public ConfirmationStore {
 public:
  explicit LocalConfirmationStore(ConfirmationTokens& tokens) : tokens_(tokens) {}
  asio::awaitable<std::string> issue(std::string binding) override { co_return tokens_.issue(std::move(binding)); }
  asio::awaitable<ConfirmationTokens::Redeemed> redeem(std::string token, std::string binding) override {
    co_return tokens_.redeem(token, binding);
  }
  std::chrono::seconds lifetime() const override { return tokens_.lifetime(); }

 private:
  ConfirmationTokens& tokens_;
};

}  // namespace kmcp
