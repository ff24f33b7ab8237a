// os_error.cpp: the "SUBJECT: <strerror>" shape.
#include "base/os_error.hpp"

#include <cstring>
#include <system_error>

namespace wgrun {

std::string OsError::message() const {
    if (code == 0) return {};
    std::string text = std::strerror(code);
    return subject.empty() ? text : subject + ": " + text;
}

void throw_os_error(int code, const std::string& subject) {
    throw std::system_error(code, std::generic_category(), subject);
}

}  // namespace wgrun
