#include "server/pipeline/multipart_body.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "server/pipeline/argument_text.hpp"
#include "server/pipeline/argument_validation.hpp"

namespace kmcp {
namespace {

namespace fs = std::filesystem;

BuildResult<std::string> text_result(std::string text) { return {boost::system::in_place_value, std::move(text)}; }

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

ToolError upload_refused(const std::string& arg, std::string problem) {
  ToolError error{"precondition", "Argument " + arg + " " + std::move(problem)};
  error.details["argument"] = arg;
  return error;
}

std::string basename_of(const std::string& path) {
  auto name = fs::path(path).filename().string();
  return name.empty() ? "upload" : name;
}

bool inside(const fs::path& dir, const fs::path& file) {
  auto [dir_end, file_it] = std::mismatch(dir.begin(), dir.end(), file.begin(), file.end());
  return dir_end == dir.end() && file_it != file.end();
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != '\r' && c != '\n') clean.push_back(c);
  std::size_t padding = 0;
  while (!clean.empty() && clean.back() == '=' && padding < 2) {
    clean.pop_back();
    ++padding;
  }
  if (padding > 0 && (clean.size() + padding) % 4 != 0) return std::nullopt;
  if (clean.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : clean) {
    int v = base64_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string guess_content_type(std::string_view filename) {
  auto dot = filename.rfind('.');
  std::string ext;
  if (dot != std::string_view::npos)
    for (char c : filename.substr(dot + 1)) ext.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  return "application/octet-stream";
}

MultipartBody encode_multipart(const std::vector<FormPart>& parts) {
  std::string boundary;
  for (int i = 0;; ++i) {
    boundary = "kmcp-form-boundary-" + std::to_string(i);
    bool clash = false;
    for (const auto& part : parts) clash = clash || part.value.find(boundary) != std::string::npos;
    if (!clash) break;
  }
  std::string out;
  for (const auto& part : parts) {
    out += "--" + boundary + "\r\n";
    out += "Content-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty()) {
      out += "; filename=\"" + part.filename + "\"\r\n";
      out += "Content-Type: " + part.content_type;
    }
    out += "\r\n\r\n";
    out += part.value;
    out += "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return MultipartBody{std::move(out), "multipart/form-data; boundary=" + boundary};
}

BuildResult<std::string> read_upload_file(const std::string& arg, const std::string& path,
                                          const std::string& upload_dir) {
  if (upload_dir.empty())
    return upload_refused(arg, "cannot be used: this server has no upload directory. Send the content as file_base64 "
                               "instead, or ask the operator to start the server with --upload-dir DIR "
                               "(or KLAVIYO_UPLOAD_DIR).");
  std::error_code ec;
  const fs::path dir = fs::canonical(upload_dir, ec);
  if (ec) return upload_refused(arg, "cannot be used: the upload directory '" + upload_dir + "' does not exist. "
                                     "Send the content as file_base64 instead.");
  fs::path requested(path);
  if (requested.is_relative()) requested = dir / requested;
  const fs::path file = fs::canonical(requested, ec);
  if (ec) return upload_refused(arg, "names '" + path + "', which does not exist under the upload directory " +
                                     dir.string() + ". Give a file inside it, or send file_base64.");
  if (!inside(dir, file))
    return upload_refused(arg, "names '" + path + "', which is outside the upload directory " + dir.string() +
                                   ". Give a file inside it, or send file_base64.");
  if (!fs::is_regular_file(file, ec))
    return upload_refused(arg, "names '" + path + "', which is not a regular file. Give a file inside " +
                                   dir.string() + ", or send file_base64.");
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxUploadBytes)
    return upload_refused(arg, "names '" + path + "', which is larger than 5 MB (" + std::to_string(size) +
                                   " bytes). Upload a smaller file.");
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return upload_refused(arg, "names '" + path + "', which could not be read.");
  return text_result(std::move(bytes));
}

BuildResult<MultipartBody> build_multipart_body(const ToolSpec& spec, const json::object& args,
                                                const std::string& upload_dir) {
  const auto& file = spec.body.file;
  auto find = [&](const std::string& name) -> const json::value* {
    auto it = args.find(name);
    return it == args.end() || it->value().is_null() ? nullptr : &it->value();
  };
  std::vector<FormPart> parts;
  for (const auto& [arg, field] : spec.body.form_fields) {
    const json::value* value = find(arg);
    if (!value) continue;
    auto text = scalar_text(*value);
    if (!text) return invalid_argument(arg, "expected a string, number or boolean");
    parts.push_back(FormPart{field, std::move(*text), "", ""});
  }

  std::string filename = "upload";
  std::string bytes;
  const json::value* content = find(file.content_arg);
  const json::value* path = find(file.path_arg);
  if (content && path) return invalid_argument(file.content_arg, "give either " + file.content_arg + " or " +
                                                                   file.path_arg + ", not both");
  if (content) {
    if (!content->is_string()) return invalid_argument(file.content_arg, "expected a base64 string");
    auto decoded = decode_base64(content->get_string());
    if (!decoded) return invalid_argument(file.content_arg, "is not valid base64 (standard alphabet, '=' padding)");
    bytes = std::move(*decoded);
  } else if (path) {
    if (!path->is_string()) return invalid_argument(file.path_arg, "expected a path string");
    const std::string requested(path->get_string());
    auto read = read_upload_file(file.path_arg, requested, upload_dir);
    if (!read) return read.error();
    bytes = std::move(*read);
    filename = basename_of(requested);
  } else {
    return invalid_argument(file.content_arg, "give the file as " + file.content_arg + " or " + file.path_arg);
  }
  if (const json::value* name = find(file.filename_arg)) {
    auto text = scalar_text(*name);
    if (!text || text->empty()) return invalid_argument(file.filename_arg, "expected a non-empty file name");
    filename = std::move(*text);
  }
  const std::string type = guess_content_type(filename);
  parts.insert(parts.begin(), FormPart{file.field, std::move(bytes), std::move(filename), type});
  return {boost::system::in_place_value, encode_multipart(parts)};
}

}  // namespace kmcp
