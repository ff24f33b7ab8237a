// version.cpp: the version string, in a file of its own so that a new
// commit (a new `git describe`) rebuilds this one small file only.
#include "version.hpp"

#ifndef WGRUN_VERSION
#define WGRUN_VERSION "unknown"
#endif

namespace wgrun::cli {

const char* version() noexcept { return WGRUN_VERSION; }

}  // namespace wgrun::cli
