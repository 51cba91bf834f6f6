// The "multipart" body kind: parsed into BodySpec and checked at load.
#include <doctest/doctest.h>

#include "tests/unit/registry/spec_fixture.hpp"

namespace kmcp {
namespace {

json::object upload_spec() {
  return json::parse(R"({
    "name": "upload_image_from_file",
    "toolset": "images",
    "description": "Uploads an image.",
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true},
    "scopes": ["images:write"],
    "request": {
      "method": "POST",
      "path": "/api/image-upload",
      "body": {"kind": "multipart", "fields": {"name": "name", "hidden": "hidden"},
               "file": {"field": "file", "content_arg": "file_base64", "path_arg": "file_path",
                        "filename_arg": "file_name"}}
    },
    "rate": {"burst": 3, "steady": 100, "daily": 100},
    "inputSchema": {"type": "object", "properties": {
        "file_base64": {"type": "string"}, "file_path": {"type": "string"}, "file_name": {"type": "string"},
        "name": {"type": "string"}, "hidden": {"type": "boolean"}},
      "additionalProperties": false},
    "response": {"kind": "resource"}
  })").as_object();
}

json::object& body_of(json::object& spec) { return spec.at("request").as_object().at("body").as_object(); }

TEST_CASE("a multipart body loads into fields and the file part") {
  test::SpecFiles files;
  files.add(upload_spec());
  HookTable hooks = test::fake_hooks();
  auto registry = ToolRegistry::load(files.files(), hooks);
  const ToolSpec* spec = registry.find("upload_image_from_file");
  REQUIRE(spec != nullptr);
  CHECK(spec->body.kind == BodySpec::Kind::multipart);
  CHECK(spec->body.form_fields == std::map<std::string, std::string>{{"hidden", "hidden"}, {"name", "name"}});
  CHECK(spec->body.file.field == "file");
  CHECK(spec->body.file.content_arg == "file_base64");
  CHECK(spec->body.file.path_arg == "file_path");
  CHECK(spec->body.file.filename_arg == "file_name");
}

TEST_CASE("a multipart body is refused when inconsistent") {
  SUBCASE("no file entry") {
    auto spec = upload_spec();
    body_of(spec).erase("file");
    CHECK(test::load_fault(spec).find("request.body.file") != std::string::npos);
  }
  SUBCASE("a resource key on a multipart body") {
    auto spec = upload_spec();
    body_of(spec)["type"] = "image";
    CHECK(test::load_fault(spec).find("type") != std::string::npos);
  }
  SUBCASE("a plain field reusing the file's form name") {
    auto spec = upload_spec();
    body_of(spec).at("fields").as_object()["name"] = "file";
    CHECK(test::load_fault(spec).find("writes the form field 'file' twice") != std::string::npos);
  }
  SUBCASE("a file argument missing from inputSchema") {
    auto spec = upload_spec();
    spec.at("inputSchema").as_object().at("properties").as_object().erase("file_path");
    CHECK(test::load_fault(spec).find("'file_path' used by request.body.file.path_arg") != std::string::npos);
  }
}

}  // namespace
}  // namespace kmcp
