// srun_executor.cpp: a job wrapped as `wgrun --slurm-step-guard JOB srun ...`.
#include "exec/srun_executor.hpp"

#include "exec/srun_guard.hpp"

namespace wgrun {

const std::vector<std::string>& srun_step_options() {
    static const std::vector<std::string> options{
        "--exclusive", "-N1", "-n1", "--kill-on-bad-exit", "--disable-status", "--quiet"};
    return options;
}

std::vector<std::string> srun_step_argv(const SrunSettings& settings, const SpawnRequest& request) {
    std::vector<std::string> argv{settings.guard, std::string(kSrunGuardFlag), settings.job_id,
                                  settings.srun};
    const auto& options = srun_step_options();
    argv.insert(argv.end(), options.begin(), options.end());
    if (!request.host.empty() && request.host != ":") {
        argv.push_back("-w");
        argv.push_back(request.host);
    }
    if (!request.workdir.empty()) argv.push_back("--chdir=" + request.workdir);
    argv.push_back("--");
    if (request.nice) {
        argv.insert(argv.end(), {"nice", "-n", std::to_string(*request.nice)});
    }
    const std::vector<std::string>& command =
        request.shell_argv.empty() ? request.argv : request.shell_argv;
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

SpawnedJob SrunExecutor::spawn(const SpawnRequest& request) {
    SpawnRequest wrapped = request;
    wrapped.argv = srun_step_argv(settings_, request);
    wrapped.shell_argv.clear();
    wrapped.program_path_var = false;
    wrapped.nice.reset();
    return local_.spawn(wrapped);
}

}  // namespace wgrun
