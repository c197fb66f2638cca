# Install layout, the CMake package, and the Debian package (CPack).
#
#   <prefix>/bin/concheck, bin/concheck-clangd
#   <prefix>/lib/libConcheckTidy.so + libConcheckTidyChecks-llvm<N>.so
#       (the shim loads the checks from its own directory, so the two stay
#       side by side)
#   <prefix>/include/concheck/...             the runtime headers
#   <prefix>/lib/cmake/concheck/              find_package(concheck)
#   <prefix>/share/doc/concheck/              README and docs/
#
# Included from the top-level CMakeLists.txt after tool/ and runtime/.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The plugin is not a library to link against: a private directory would also
# do, but lib/ keeps `--load=<prefix>/lib/libConcheckTidy.so` guessable and is
# what the issue asks for. CMAKE_INSTALL_LIBDIR is "lib" unless the prefix is
# /usr on a multiarch system; the package's config file reports the real path.
set(CONCHECK_INSTALL_PLUGINDIR "${CMAKE_INSTALL_LIBDIR}")
set(CONCHECK_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/concheck")

install(TARGETS concheck concheck-clangd
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT concheck)
install(TARGETS ConcheckTidy ConcheckTidyChecks
        LIBRARY DESTINATION "${CONCHECK_INSTALL_PLUGINDIR}" COMPONENT concheck)

# concheck::runtime, exported for find_package(concheck).
set_target_properties(concheck_runtime PROPERTIES EXPORT_NAME runtime)
install(TARGETS concheck_runtime EXPORT concheckTargets COMPONENT concheck)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/runtime/include/concheck"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT concheck)
install(EXPORT concheckTargets NAMESPACE concheck::
        DESTINATION "${CONCHECK_INSTALL_CMAKEDIR}" COMPONENT concheck)

install(FILES "${PROJECT_SOURCE_DIR}/README.md"
              "${PROJECT_SOURCE_DIR}/runtime/tsan-suppressions.txt"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT concheck)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT concheck)

# The package's config file. Every path in it is relative to where the
# package was installed (PACKAGE_PREFIX_DIR), so an unpacked .deb or a
# `cmake --install --prefix` tree works wherever it lands.
set(CONCHECK_TIDY_PLUGIN_RELPATH
    "${CONCHECK_INSTALL_PLUGINDIR}/${CMAKE_SHARED_MODULE_PREFIX}ConcheckTidy${CMAKE_SHARED_MODULE_SUFFIX}")
set(CONCHECK_EXECUTABLE_RELPATH "${CMAKE_INSTALL_BINDIR}/concheck")
set(CONCHECK_CLANGD_EXECUTABLE_RELPATH "${CMAKE_INSTALL_BINDIR}/concheck-clangd")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/concheckConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/concheckConfig.cmake"
  INSTALL_DESTINATION "${CONCHECK_INSTALL_CMAKEDIR}"
  PATH_VARS CONCHECK_TIDY_PLUGIN_RELPATH CONCHECK_EXECUTABLE_RELPATH
            CONCHECK_CLANGD_EXECUTABLE_RELPATH CMAKE_INSTALL_INCLUDEDIR)
# The checks are tied to one LLVM, the runtime is not: any 0.x with the same
# major.minor is compatible.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake/concheckConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cmake/concheckConfig.cmake"
              "${PROJECT_BINARY_DIR}/cmake/concheckConfigVersion.cmake"
        DESTINATION "${CONCHECK_INSTALL_CMAKEDIR}" COMPONENT concheck)

# --- the Debian package: `make package` (cpack -G DEB) -------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "concheck")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "concheck maintainers <concheck@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "C++ concurrency linter (clang-tidy checks, CLI, clangd) and runtime")
set(CPACK_PACKAGE_DESCRIPTION
    "concheck finds concurrency bugs in C++ code: locks without scoped guards, "
    "unguarded shared writes, wait-group misuse. It ships the concheck command, "
    "a clang-tidy ${CONCHECK_LLVM_VERSION} plugin, concheck-clangd for editors, "
    "and a header-only C++20 library of correct primitives.")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
# The shared libraries the programs link (libllvm<N>, libclang-cpp<N>, gRPC,
# protobuf, libstdc++, ...) come from dpkg-shlibdeps, with their versions.
# What it cannot see: clang's resource headers, which concheck and
# concheck-clangd read at run time from /usr/lib/llvm-<N>/lib/clang/<N>.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libclang-common-${CONCHECK_LLVM_VERSION}-dev")
# The plugin needs the clang-tidy of the same LLVM; the CLI and clangd do not.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang-tidy-${CONCHECK_LLVM_VERSION}")
include(CPack)
