//===--- PluginLoader.cpp - libConcheckTidy.so, the version-checking shim -===//
//
// Part of concheck. clang-tidy --load=libConcheckTidy.so loads this small
// library first. It links nothing from LLVM, so it always loads; it then finds
// which LLVM the hosting clang-tidy runs on and, only when that is the version
// the checks were built for, loads the checks themselves from the library
// beside it. Loading the checks into another LLVM would fail with an opaque
// "undefined symbol" (or worse, crash), so a mismatch stops here with a
// message that says what to run instead.
//
//===----------------------------------------------------------------------===//

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <string>

#ifndef CONCHECK_LLVM_VERSION_MAJOR
#error "CONCHECK_LLVM_VERSION_MAJOR must be defined"
#endif

namespace {

// The LLVM major version of the host process: from the name of the libLLVM it
// loaded (Debian: libLLVM.so.19.1, libLLVM-14.so.1), else from LLVMGetVersion
// when the host links LLVM statically and exports its symbols. 0: unknown.
int hostLLVMMajor() {
  int Major = 0;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) -> int {
        const char *Name = Info->dlpi_name;
        if (!Name || !*Name)
          return 0;
        const char *Base = std::strrchr(Name, '/');
        Base = Base ? Base + 1 : Name;
        int Found = 0;
        if (std::sscanf(Base, "libLLVM-%d", &Found) == 1 ||
            std::sscanf(Base, "libLLVM.so.%d", &Found) == 1) {
          *static_cast<int *>(Data) = Found;
          return 1;
        }
        return 0;
      },
      &Major);
  if (Major)
    return Major;
  using GetVersion = void (*)(unsigned *, unsigned *, unsigned *);
  if (auto *Fn = reinterpret_cast<GetVersion>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"))) {
    unsigned Ma = 0, Mi = 0, Pa = 0;
    Fn(&Ma, &Mi, &Pa);
    return static_cast<int>(Ma);
  }
  return 0;
}

[[noreturn]] void fail(const std::string &Message) {
  std::fprintf(stderr, "concheck: error: %s\n", Message.c_str());
  std::fflush(stderr);
  std::_Exit(2);
}

void loadChecks() {
  const int Built = CONCHECK_LLVM_VERSION_MAJOR;
  const int Host = hostLLVMMajor();
  if (Host != 0 && Host != Built)
    fail("libConcheckTidy.so was built for LLVM " + std::to_string(Built) +
         " but this clang-tidy runs on LLVM " + std::to_string(Host) +
         "; run clang-tidy-" + std::to_string(Built) +
         " or build concheck with -DCONCHECK_LLVM_VERSION=" +
         std::to_string(Host));

  Dl_info Self;
  if (!dladdr(reinterpret_cast<void *>(&loadChecks), &Self) || !Self.dli_fname)
    fail("cannot locate libConcheckTidy.so itself");
  std::string Dir = Self.dli_fname;
  std::string::size_type Slash = Dir.rfind('/');
  Dir = Slash == std::string::npos ? std::string(".") : Dir.substr(0, Slash);
  const std::string Impl = Dir + "/" CONCHECK_PLUGIN_IMPL_NAME;
  if (!dlopen(Impl.c_str(), RTLD_NOW | RTLD_GLOBAL))
    fail("cannot load the concheck checks from '" + Impl + "': " + dlerror());
}

struct Loader {
  Loader() { loadChecks(); }
} TheLoader;

} // namespace
