// jobserver_auth.hpp: what MAKEFLAGS says about make's jobserver, and the
// MAKEFLAGS wgrun gives its jobs when it serves a jobserver itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wgrun {

struct JobserverAuth {
    enum class Kind {
        None,  // no jobserver named (or make -n)
        Pipe,  // --jobserver-auth=R,W (or the older --jobserver-fds=R,W)
        Fifo,  // --jobserver-auth=fifo:PATH (make 4.4)
        Bad,   // named, but the value is not one of those forms
    };
    Kind kind = Kind::None;
    int read_fd = -1;   // Pipe
    int write_fd = -1;  // Pipe
    std::string path;   // Fifo
    std::string text;   // the option's value as written (for messages)
};

/// The jobserver MAKEFLAGS names: the last --jobserver-auth= (or
/// --jobserver-fds=) word wins. A first word of single-letter flags (no
/// leading '-') that holds 'n' is make -n: no jobserver. Words after " -- "
/// are variable assignments, never options.
JobserverAuth parse_makeflags(std::string_view makeflags);

/// MAKEFLAGS for the jobs of a wgrun that serves `jobs` slots through the
/// pipe read_fd,write_fd: `makeflags` (the caller's, maybe empty) without
/// its -j and jobserver words, then " -jN --jobserver-auth=R,W" (the pipe
/// form: make 4.3 knows no fifo, make 4.4 reads both), then the caller's
/// variable assignments, if any.
std::string serving_makeflags(std::string_view makeflags, std::uint64_t jobs, int read_fd,
                              int write_fd);

}  // namespace wgrun
