#pragma once
// Which credentials a call presents, and the label its rate buckets are kept under. Missing
// keys are reported before anything is sent, naming the setting that fixes them.
#include <boost/system/result.hpp>
#include <map>
#include <string>
#include <string_view>

#include "server/core/credentials.hpp"
#include "server/core/tool_error.hpp"

namespace kmcp {

struct SelectedCredentials {
  const AccountCredentials* credentials = nullptr;
  // Public-key calls are paced apart from private-key ones: "<account>:public".
  std::string rate_account;
};

boost::system::result<SelectedCredentials, ToolError> select_credentials(
    const std::map<std::string, AccountCredentials>& accounts, const std::string& account, bool public_key_auth,
    std::string_view key_env_var);

}  // namespace kmcp
