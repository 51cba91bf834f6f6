#include "server/pipeline/write_preview.hpp"

#include <boost/beast/http/verb.hpp>

namespace kmcp {
namespace {

// Arguments as the text shows them: a bulk payload is cut, the details keep it whole.
std::string shown_arguments(const json::object& args) {
  constexpr std::size_t kMaxShown = 1500;
  std::string text = json::serialize(args);
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "… (" + std::to_string(text.size()) + " characters)";
  return text;
}

}  // namespace

WritePreview preview_write(const ToolSpec& spec, const json::object& args, const UpstreamRequest& request,
                           const std::optional<RecipientEstimate>& estimate) {
  const std::string method(boost::beast::http::to_string(request.method));
  WritePreview preview;
  preview.summary = spec.name + " will send " + method + " " + request.target + " to Klaviyo";
  if (!spec.title.empty()) preview.summary += " (" + spec.title + ")";
  preview.summary += " with arguments " + shown_arguments(args) + ".";
  preview.details = json::object{{"tool", spec.name}, {"method", method}, {"path", request.target}, {"arguments", args}};
  if (estimate) {
    if (estimate->count) {
      preview.summary += " Estimated recipients: " + std::to_string(*estimate->count) + ".";
      preview.details["recipient_estimate"] = *estimate->count;
    } else {
      preview.summary += " The recipient estimate is unavailable (" + estimate->unavailable + ").";
      preview.details["recipient_estimate"] = nullptr;
      preview.details["recipient_estimate_unavailable"] = estimate->unavailable;
    }
  }
  return preview;
}

std::string confirmation_question(const WritePreview& preview) {
  return preview.summary + " Allow it?";
}

ToolError confirmation_required(const ToolSpec& spec, const WritePreview& preview, const std::string& token,
                                std::chrono::seconds valid_for, std::string_view refusal) {
  std::string message;
  if (!refusal.empty()) message = std::string(refusal) + " ";
  message += "Nothing was sent: this call is destructive and needs the human's agreement. " + preview.summary +
             " Show this to the human; only if they agree, call " + spec.name +
             " again with the same arguments plus confirmation_token \"" + token + "\" (single use, valid " +
             std::to_string(valid_for.count()) + " seconds).";
  json::object details = preview.details;
  details["confirmation_token"] = token;
  details["expires_in_seconds"] = valid_for.count();
  if (!refusal.empty()) details["argument"] = "confirmation_token";
  return ToolError{"confirmation_required", std::move(message), std::move(details)};
}

ToolError confirmation_declined(const WritePreview& preview) {
  return ToolError{"confirmation_declined",
                   "Nothing was sent: the human declined. " + preview.summary +
                       " Do not retry unless the human asks for it again.",
                   preview.details};
}

}  // namespace kmcp
