// arg_limit.cpp: sysconf(_SC_ARG_MAX) less what the environment takes.
#include "exec/arg_limit.hpp"

#include <unistd.h>

#include <cstring>

namespace wgrun {

ArgLimit arg_limit(const char* const* env) {
    ArgLimit limit;
    const long arg_max = ::sysconf(_SC_ARG_MAX);
    // Linux has no fixed ARG_MAX (a quarter of the stack limit); POSIX's
    // least is 4096. An unlimited stack reports LONG_MAX-like values: keep
    // to what a 32-bit count can mean.
    limit.arg_max = arg_max <= 0 ? 131072 : static_cast<std::size_t>(arg_max);
    if (env != nullptr) {
        for (const char* const* e = env; *e != nullptr; ++e) {
            limit.environment += std::strlen(*e) + 1 + sizeof(char*);
        }
    }
    limit.environment += sizeof(char*);  // the null pointer that ends it
    const std::size_t taken = limit.environment + kArgMargin;
    limit.usable = limit.arg_max > taken ? limit.arg_max - taken : 0;
    return limit;
}

}  // namespace wgrun
