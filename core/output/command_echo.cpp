// command_echo.cpp: -t on stderr, -v in the job's stdout.
#include "output/command_echo.hpp"

#include <string>
#include <utility>

#include "base/write_all.hpp"

namespace wgrun {

CommandEcho::CommandEcho(std::unique_ptr<OutputMode> inner, CommandEchoOptions options)
    : OutputDecorator(std::move(inner)), options_(options) {}

void CommandEcho::started(const JobStart& job) {
    static const std::string no_command;
    const std::string line = (job.command != nullptr ? *job.command : no_command) + '\n';
    if (options_.print_fd >= 0) print(line);
    OutputDecorator::started(job);
    if (options_.echo) OutputDecorator::output(job.seq, Stream::Out, line);
}

void CommandEcho::print(const std::string& line) {
    OutputGuard* guard = options_.guard;
    const bool guarded = guard != nullptr && guard->guards(options_.print_fd);
    if (guarded) guard->before_write(options_.print_fd);
    const int error = write_all(options_.print_fd, line);
    if (guarded) {
        guard->after_write(options_.print_fd, error == 0 ? '\n' : OutputGuard::kNothingWritten);
    }
}

}  // namespace wgrun
