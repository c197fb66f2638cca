# Writes OUTPUT: one { name, page } entry per docs page in DOCS (a list of
# docs/checks/<name>.md, separated by "|"), as C++ raw strings, for tool/cli/Report.cpp.
set(content "// Generated from docs/checks/*.md by cmake/GenerateCheckDocs.cmake.\n")
string(APPEND content "static const RawDoc RawDocs[] = {\n")
string(REPLACE "|" ";" DOCS "${DOCS}")
foreach(doc IN LISTS DOCS)
  get_filename_component(name "${doc}" NAME_WE)
  file(READ "${doc}" page)
  string(APPEND content "  {\"concheck-${name}\", R\"concheckdoc(${page})concheckdoc\"},\n")
endforeach()
string(APPEND content "};\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
