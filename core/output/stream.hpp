// stream.hpp: which of a job's two output streams bytes come from.
#pragma once

namespace wgrun {

enum class Stream { Out, Err };

}  // namespace wgrun
