// os_error.hpp: the one way core/ fails on a system call.
//
//  - At setup (opening a file named on the command line, making an fd,
//    starting a thread) it throws std::system_error: code() is the errno
//    (generic_category), what() is "SUBJECT: <strerror>" (throw_os_error()).
//    A stage whose setup can also fail on what it reads (a malformed job
//    log, stdin named twice) throws its own SetupError instead, which keeps
//    the errno when a system call failed.
//  - On the hot path (a job's row, a record, a write of output) nothing
//    throws: a call returns its errno as an int (0: none), and whoever keeps
//    the first failure keeps it as an OsError: the errno and what it was
//    about, turned into text by message() only where it is shown.
// Every message on an OS error thus has one shape, "SUBJECT: <strerror>"
// ("--json out.jsonl: Permission denied"); wgrun prints it after "wgrun: ".
#pragma once

#include <stdexcept>
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

/// The base of a stage's own setup errors (InputError, JoblogError): what()
/// is the whole one-line message, and code() the errno when a system call
/// failed (built from an OsError), else 0 (what was read is wrong).
class SetupError : public std::runtime_error {
public:
    explicit SetupError(const std::string& message) : std::runtime_error(message) {}
    explicit SetupError(const OsError& error)
        : std::runtime_error(error.message()), code_(error.code) {}
    /// The errno, or 0.
    int code() const noexcept { return code_; }

private:
    int code_ = 0;
};

}  // namespace wgrun
