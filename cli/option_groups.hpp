// option_groups.hpp: the groups of options that live in files of their own,
// cli/options_<group>.cpp, each adding its options to the CLI11 app and
// checking them once parsed. parse() calls every group in this order.
#pragma once

namespace CLI {
class App;
}

namespace wgrun::cli {

struct Options;

// cli/options_packing.cpp: argument packing: -n -N -L -s -x -X -m --xargs --max-replace-args.
void add_packing_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_packing_options(const CLI::App& app, Options& options);

// cli/options_sources.cpp: where input comes from: -I -i -d -E -r --arg-sep --arg-file-sep --link --shuf --shard --process-slot-var.
void add_sources_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_sources_options(const CLI::App& app, Options& options);

// cli/options_replacements.cpp: replacement strings: --plus, the --*replace names, --parens, --rpl, {= perl =}, --filter.
void add_replacements_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_replacements_options(const CLI::App& app, Options& options);

// cli/options_columns.cpp: columns: --colsep, --csv, --header, --trim.
void add_columns_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_columns_options(const CLI::App& app, Options& options);

// cli/options_gnu_names.cpp: GNU's spellings and meanings of the options people type first: -t/--verbose, -v, -q/--quote, --progress, --total-jobs.
void add_gnu_names_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_gnu_names_options(const CLI::App& app, Options& options);

// cli/options_output.cpp: output to files: --files, --compress, --compress-program, --results NAME as GNU names it.
void add_output_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_output_options(const CLI::App& app, Options& options);

// cli/options_exec.cpp: how a job is started: --shell, --env, --nice, --workdir, --tty, --slurm.
void add_exec_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_exec_options(const CLI::App& app, Options& options);

// cli/options_remote.cpp: jobs on other computers over ssh: -S/--sshlogin, --slf/--sshloginfile, --ssh, --sshdelay, --filter-hosts.
void add_remote_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_remote_options(const CLI::App& app, Options& options);

// cli/options_compat.cpp: every other GNU parallel and xargs option, named: accepted and ignored, or refused with a reason.
void add_pipe_options(CLI::App& app, Options& options);
/// After every other group's check: takes -N, -0 and --header for --pipe.
void check_pipe_options(const CLI::App& app, Options& options);

void add_compat_options(CLI::App& app, Options& options);
/// After the parse: what CLI11 cannot check. Throws UsageError.
void check_compat_options(const CLI::App& app, Options& options);

}  // namespace wgrun::cli
