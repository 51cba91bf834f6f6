#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "server/pipeline/multipart_body.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;
using kmcp::test::parse_object;

namespace {

namespace fs = std::filesystem;

ToolSpec upload_spec() { return test::upload_image_spec(); }

// A scratch upload dir with an outside sibling, removed at the end.
struct Scratch {
  fs::path root = fs::temp_directory_path() / ("kmcp_upload_test_" + std::to_string(::getpid()));
  fs::path uploads = root / "uploads";
  Scratch() {
    fs::create_directories(uploads / "sub");
    write(uploads / "logo.png", "PNGDATA");
    write(root / "secret.txt", "top secret");
  }
  ~Scratch() { fs::remove_all(root); }
  static void write(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
};

}  // namespace

TEST_CASE("decode_base64 accepts padded, unpadded and wrapped input; refuses the rest") {
  CHECK(decode_base64("aGVsbG8=") == std::optional<std::string>("hello"));
  CHECK(decode_base64("aGVsbG8") == std::optional<std::string>("hello"));
  CHECK(decode_base64("aGVs\r\nbG8h") == std::optional<std::string>("hello!"));
  CHECK(decode_base64("") == std::optional<std::string>(""));
  CHECK_FALSE(decode_base64("aGVsbG8*").has_value());
  CHECK_FALSE(decode_base64("a").has_value());
  CHECK_FALSE(decode_base64("aG=Vs").has_value());
  CHECK_FALSE(decode_base64("aGVsbG8===").has_value());
}

TEST_CASE("guess_content_type by extension") {
  CHECK(guess_content_type("a.png") == "image/png");
  CHECK(guess_content_type("a.JPG") == "image/jpeg");
  CHECK(guess_content_type("a.jpeg") == "image/jpeg");
  CHECK(guess_content_type("a.gif") == "image/gif");
  CHECK(guess_content_type("a.webp") == "image/webp");
  CHECK(guess_content_type("a.bmp") == "application/octet-stream");
  CHECK(guess_content_type("upload") == "application/octet-stream");
}

TEST_CASE("the multipart body from base64 content: CRLF parts, file first, booleans as text") {
  auto body = build_multipart_body(upload_spec(), parse_object(R"({"file_base64":"aGVsbG8=","file_name":"logo.png",
      "name":"Logo","hidden":false})"), "");
  REQUIRE(body.has_value());
  CHECK(body->content_type == "multipart/form-data; boundary=kmcp-form-boundary-0");
  CHECK(body->content ==
        "--kmcp-form-boundary-0\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\n"
        "Content-Type: image/png\r\n\r\n"
        "hello\r\n"
        "--kmcp-form-boundary-0\r\n"
        "Content-Disposition: form-data; name=\"hidden\"\r\n\r\n"
        "false\r\n"
        "--kmcp-form-boundary-0\r\n"
        "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
        "Logo\r\n"
        "--kmcp-form-boundary-0--\r\n");
}

TEST_CASE("the boundary never occurs in the content; the filename defaults to upload") {
  // "kmcp-form-boundary-0" in base64
  auto body = build_multipart_body(upload_spec(), parse_object(R"({"file_base64":"a21jcC1mb3JtLWJvdW5kYXJ5LTA="})"), "");
  REQUIRE(body.has_value());
  CHECK(body->content_type == "multipart/form-data; boundary=kmcp-form-boundary-1");
  CHECK(body->content.find("filename=\"upload\"\r\nContent-Type: application/octet-stream") != std::string::npos);
}

TEST_CASE("invalid base64 is a validation error naming file_base64") {
  auto body = build_multipart_body(upload_spec(), parse_object(R"({"file_base64":"not base64!"})"), "");
  REQUIRE(body.has_error());
  CHECK(body.error().kind == "validation");
  CHECK(body.error().details.at("argument") == "file_base64");
}

TEST_CASE("file_path reads only inside the upload directory") {
  Scratch scratch;
  const std::string dir = scratch.uploads.string();

  SUBCASE("inside: the file's bytes and its basename") {
    auto body = build_multipart_body(upload_spec(), parse_object(R"({"file_path":"logo.png"})"), dir);
    REQUIRE(body.has_value());
    CHECK(body->content.find("filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n") !=
          std::string::npos);
    auto absolute = read_upload_file("file_path", (scratch.uploads / "sub" / ".." / "logo.png").string(), dir);
    REQUIRE(absolute.has_value());
    CHECK(*absolute == "PNGDATA");
  }
  SUBCASE("outside via ..") {
    auto read = read_upload_file("file_path", "../secret.txt", dir);
    REQUIRE(read.has_error());
    CHECK(read.error().kind == "precondition");
    CHECK(read.error().details.at("argument") == "file_path");
    CHECK(read.error().message.find("outside the upload directory") != std::string::npos);
  }
  SUBCASE("no upload directory set") {
    auto body = build_multipart_body(upload_spec(), parse_object(R"({"file_path":"logo.png"})"), "");
    REQUIRE(body.has_error());
    CHECK(body.error().kind == "precondition");
    CHECK(body.error().message.find("file_path") != std::string::npos);
    CHECK(body.error().message.find("--upload-dir") != std::string::npos);
    CHECK(body.error().message.find("file_base64") != std::string::npos);
  }
  SUBCASE("missing file and a directory") {
    CHECK(read_upload_file("file_path", "nope.png", dir).error().kind == "precondition");
    CHECK(read_upload_file("file_path", "sub", dir).error().message.find("not a regular file") != std::string::npos);
  }
  SUBCASE("larger than 5 MB") {
    Scratch::write(scratch.uploads / "big.png", std::string(kMaxUploadBytes + 1, 'x'));
    auto read = read_upload_file("file_path", "big.png", dir);
    REQUIRE(read.has_error());
    CHECK(read.error().message.find("larger than 5 MB") != std::string::npos);
    Scratch::write(scratch.uploads / "edge.png", std::string(kMaxUploadBytes, 'x'));
    CHECK(read_upload_file("file_path", "edge.png", dir).has_value());
  }
}
