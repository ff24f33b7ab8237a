// version.hpp: the version wgrun was built as, which --version prints.
#pragma once

namespace wgrun::cli {

/// The version string the Makefile gave this build: `git describe` from a
/// checkout ("0.2.0-14-gabc1234"), the Makefile's VERSION otherwise. The
/// man pages, wgrun.pc and the .deb say the same string.
const char* version() noexcept;

}  // namespace wgrun::cli
