# Writes a C++ source holding every tool spec under ROOT as (relative path, text) pairs.
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/*.json)
list(SORT files)
set(body "// Generated from schemas/ at build time; do not edit.\n#include \"server/registry/embedded_specs.hpp\"\n\nnamespace kmcp {\nnamespace {\nconst EmbeddedSpec kSpecs[] = {\n  {\"\", \"\"},  // keeps the array non-empty; skipped below\n")
foreach(f IN LISTS files)
  file(READ ${ROOT}/${f} text)
  # Raw strings have a length limit on some compilers; g++ has none that matters here.
  string(APPEND body "  {\"${f}\", R\"kmcp_spec(${text})kmcp_spec\"},\n")
endforeach()
string(APPEND body "};\n}  // namespace\n\nstd::span<const EmbeddedSpec> embedded_specs() { return std::span<const EmbeddedSpec>(kSpecs).subspan(1); }\n}  // namespace kmcp\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
