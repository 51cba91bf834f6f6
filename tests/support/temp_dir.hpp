#pragma once
// A fresh, private directory under the system temp directory, removed with everything in it
// when the object goes away.
#include <filesystem>
#include <string_view>

namespace kmcp {

class TempDir {
 public:
  // Throws std::runtime_error when the directory cannot be created.
  explicit TempDir(std::string_view prefix = "kmcp-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kmcp
