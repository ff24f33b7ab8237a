// command_echo.hpp: GNU parallel's -t and -v. A decorator around any output
// mode that shows each job's command as the job starts: -t (--verbose) on
// wgrun's stderr at once, -v as the first line of the job's own stdout, so
// that every mode puts it where the job's output goes (whole with the job
// under --group, in turn under -k, tagged under --tag, at once under -u).
#pragma once

#include <cstdint>
#include <memory>

#include "output/output_decorator.hpp"
#include "output/output_guard.hpp"

namespace wgrun {

struct CommandEchoOptions {
    /// -t: the command and a newline are written to this fd (wgrun's
    /// stderr) as the job starts; -1: not.
    int print_fd = -1;
    /// Told of each -t write to `print_fd` when it guards() it (--bar, --eta).
    OutputGuard* guard = nullptr;
    /// -v: the command and a newline are the job's first stdout bytes.
    bool echo = false;
};

/// At started(), before passing it on: the -t line; after it: the -v line
/// as the job's stdout (output()). The command is JobStart::command as it
/// is, as GNU parallel prints it. Jobs left out (skipped()) show nothing;
/// a job that could not start shows the command it would have run. A failed
/// -t write is lost, nothing else (stderr is not a record).
/// The -t line is written from the thread that calls started() (the event
/// loop's): the inner mode must write jobs' stderr from that thread too
/// (no BackgroundWriter), or a -t line could come between two pieces of a
/// finished job's stderr.
class CommandEcho : public OutputDecorator {
public:
    CommandEcho(std::unique_ptr<OutputMode> inner, CommandEchoOptions options);

    void started(const JobStart& job) override;

private:
    void print(const std::string& line);

    CommandEchoOptions options_;
};

}  // namespace wgrun
