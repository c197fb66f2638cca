// The GoogleTest main for concheck's runtime tests. Death tests re-execute the
// binary ("threadsafe" style) instead of forking a process that has threads:
// forking a multithreaded process is unsupported under ThreadSanitizer and
// fragile everywhere else.
#include <gtest/gtest.h>

int main(int argc, char **argv) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
