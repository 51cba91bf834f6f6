#pragma once
// The multipart/form-data body of a "multipart" tool (schemas/README.md): plain form fields plus
// one file part whose bytes come from base64 content or from a file under the operator's upload
// directory (--upload-dir). Only read_upload_file touches the file system.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/json.hpp"
#include "server/pipeline/request_builder.hpp"

namespace kmcp {

inline constexpr std::uintmax_t kMaxUploadBytes = 5 * 1024 * 1024;

struct MultipartBody {
  std::string content;
  std::string content_type;  // "multipart/form-data; boundary=..."
};

struct FormPart {
  std::string name;
  std::string value;
  std::string filename;      // empty: a plain field
  std::string content_type;  // file parts only
};

// Strict base64 (standard alphabet, optional '=' padding; CR/LF ignored). nullopt when invalid.
std::optional<std::string> decode_base64(std::string_view text);

// png, jpeg/jpg, gif, webp by extension (any case); application/octet-stream otherwise.
std::string guess_content_type(std::string_view filename);

// CRLF-delimited parts with a boundary that occurs in none of the values.
MultipartBody encode_multipart(const std::vector<FormPart>& parts);

// The bytes of `path` (relative paths are taken under upload_dir). A "precondition" error naming
// `arg` when no upload_dir is set, or the file is missing, outside upload_dir, not a regular file
// or larger than kMaxUploadBytes.
BuildResult<std::string> read_upload_file(const std::string& arg, const std::string& path,
                                          const std::string& upload_dir);

BuildResult<MultipartBody> build_multipart_body(const ToolSpec& spec, const json::object& args,
                                                const std::string& upload_dir);

}  // namespace kmcp
