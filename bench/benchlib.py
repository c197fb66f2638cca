"""What the benchmark scripts share."""
import os


def cache_value(build, key):
    """A variable of the build's CMake cache, or None."""
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split("=", 1)[1].strip()
    return None
