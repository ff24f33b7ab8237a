// srun_report.cpp: srun's report line, its exit code and scontrol's steps, read.
#include "exec/srun_report.hpp"

#include <signal.h>

#include <cstring>

namespace wgrun {

std::optional<std::string> srun_task_report(std::string_view line) {
    constexpr std::string_view kPrefix = "srun: error: ";
    constexpr std::string_view kTask = ": task 0: ";
    if (!line.starts_with(kPrefix)) return std::nullopt;
    line.remove_prefix(kPrefix.size());
    const std::size_t task = line.find(kTask);
    // The node's name comes first: no blank, no colon in it.
    if (task == std::string_view::npos || task == 0 ||
        line.substr(0, task).find_first_of(" :") != std::string_view::npos) {
        return std::nullopt;
    }
    return std::string(line.substr(task + kTask.size()));
}

std::optional<int> srun_task_signal(int code, std::string_view text) {
    const int signal = code - 128;
    if (signal < 1 || signal >= NSIG) return std::nullopt;
    const char* name = ::strsignal(signal);
    if (name == nullptr) return std::nullopt;
    const std::string_view described(name);
    if (text == described) return signal;
    if (text.starts_with(described) && text.substr(described.size()) == " (core dumped)") {
        return signal;
    }
    return std::nullopt;
}

std::optional<std::string> step_of_srun(std::string_view output, pid_t srun_pid) {
    const std::string pid = ":" + std::to_string(srun_pid);
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string_view::npos) end = output.size();
        const std::string_view line = output.substr(start, end - start);
        start = end + 1;
        // Fields are NAME=VALUE, one blank between them.
        std::optional<std::string_view> step;
        bool ours = false;
        std::size_t field_start = 0;
        while (field_start < line.size()) {
            std::size_t field_end = line.find(' ', field_start);
            if (field_end == std::string_view::npos) field_end = line.size();
            const std::string_view field = line.substr(field_start, field_end - field_start);
            field_start = field_end + 1;
            if (field.starts_with("StepId=")) step = field.substr(7);
            if (field.starts_with("SrunHost:Pid=") && field.ends_with(pid) &&
                field.size() >= 13 + pid.size()) {
                ours = true;
            }
        }
        if (ours && step && !step->empty()) return std::string(*step);
    }
    return std::nullopt;
}

}  // namespace wgrun
