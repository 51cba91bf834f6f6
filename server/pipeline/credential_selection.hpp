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
  // Whose quota the call spends, as Klaviyo counts it: all private keys of an account share
  // one ("<account>"); an OAuth app gets its own per account it is installed on
  // ("<account>:oauth"); public-key calls ("<account>:public") carry only the company id, so
  // Klaviyo can count them only per account, in the /client endpoints' own buckets, which no
  // private-key or OAuth call draws from. The account is our label: two labels configured for
  // one Klaviyo account would be paced apart.
  std::string rate_account;
};

boost::system::result<SelectedCredentials, ToolError> select_credentials(
    const std::map<std::string, AccountCredentials>& accounts, const std::string& account, bool public_key_auth,
    std::string_view key_env_var);

}  // namespace kmcp
