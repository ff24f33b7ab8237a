// start_thread.hpp: starts a std::thread, and when the system refuses
// (EAGAIN: the limit of processes and threads, `ulimit -u`, is reached),
// says which thread could not start instead of std::thread's bare
// "Resource temporarily unavailable".
#pragma once

#include <cerrno>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

namespace wgrun {

/// Starts `body` on a new thread. Throws std::system_error whose what() is
/// "cannot start <what>: <reason>", with a hint at `ulimit -u` for EAGAIN.
template <class Body>
std::thread start_thread(const char* what, Body&& body) {
    try {
        return std::thread(std::forward<Body>(body));
    } catch (const std::system_error& e) {
        std::string message = std::string("cannot start ") + what;
        if (e.code() == std::errc::resource_unavailable_try_again) {
            message += " (the limit of processes and threads, ulimit -u, is reached?)";
        }
        throw std::system_error(e.code(), message);
    }
}

}  // namespace wgrun
