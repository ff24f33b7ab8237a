// os_error.hpp: the one way core/ fails on a system call.
//
//  - At setup (opening a file named on the command line, making an fd,
//    starting a thread) it throws std::system_error: code() is the errno
//    (generic_category), what() is "SUBJECT: <strerror>" (throw_os_error()).
//  - On the hot path (a job's row, a record, a write of output) nothing
//    throws: a call returns its errno as an int (0: none), and whoever keeps
//    the first failure keeps it as an OsError: the errno and what it was
//    about, turned into text by message() only where it is shown.
// Every message on an OS error thus has one shape, "SUBJECT: <strerror>"
// ("--json out.jsonl: Permission denied"); wgrun prints it after "wgrun: ".
#pragma once

#include <string>

namespace wgrun {

/// A failed system call: its errno and what it was about. Empty (code 0):
/// no error.
struct OsError {
    int code = 0;         // the errno; 0: no error
    std::string subject;  // "--json out.jsonl", "--report: cannot keep the rows"

    explicit operator bool() const noexcept { return code != 0; }
    /// "SUBJECT: <strerror>"; "<strerror>" without a subject; "" when empty.
    std::string message() const;
};

/// Throws std::system_error(code, std::generic_category(), subject), whose
/// what() is OsError{code, subject}.message().
[[noreturn]] void throw_os_error(int code, const std::string& subject);

}  // namespace wgrun
