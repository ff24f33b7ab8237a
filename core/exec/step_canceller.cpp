// step_canceller.cpp: waits for the guard's pipe to end; a guard gone
// before its srun ended leaves a step to cancel.
#include "exec/step_canceller.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

#include "exec/command_output.hpp"
#include "exec/srun_report.hpp"

namespace wgrun {

int run_step_canceller(int argc, char** argv) {
    if (argc < 3) return 0;
    const std::string job_id = argv[2];
    std::string told;
    char chunk[256];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        told.append(chunk, static_cast<std::size_t>(n));
    }
    const std::size_t newline = told.find('\n');
    if (newline == std::string::npos) return 0;  // no srun was started
    if (told.find("\ndone\n") != std::string::npos) return 0;
    const long pid = std::strtol(told.substr(0, newline).c_str(), nullptr, 10);
    if (pid <= 1) return 0;
    try {
        const CommandOutput steps = run_for_output({"scontrol", "-o", "show", "step", job_id});
        if (const auto step = step_of_srun(steps.out, static_cast<pid_t>(pid))) {
            run_for_output({"scancel", "--quiet", *step});
        }
    } catch (const std::system_error&) {
        // No scontrol or scancel here: nothing more can be done.
    }
    return 0;
}

}  // namespace wgrun
