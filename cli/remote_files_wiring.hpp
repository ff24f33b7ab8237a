// remote_files_wiring.hpp: the files of remote jobs, made from
// --transferfile, --transfer, --return, --cleanup, --trc, --basefile and
// --rsync-opts: each job's file names (templates for the command builder),
// rsync's command for the ssh executor, and the base files. Only wiring: the
// parts are core's (core/remote/remote_files.hpp, base_files.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "command/job_setup.hpp"
#include "command/template_syntax.hpp"
#include "options.hpp"
#include "remote/base_files.hpp"
#include "remote/remote_command.hpp"

namespace wgrun::cli {

/// The jobs' --transferfile (--transfer: the input, -I's string; --trc:
/// that too when no --tf or --transfer is given) and --return (--trc's
/// too) names, parsed with `syntax` into `setup`. Throws UsageError for a
/// name that is not a valid template.
void wire_file_templates(const Options& options, const TemplateSyntax& syntax, JobSetup& setup);

/// rsync's words (--rsync-opts, else $PARALLEL_RSYNC_OPTS, else -rlDzR) and
/// --cleanup (--trc's too) into `setup`. Throws UsageError when rsync is
/// needed and not in PATH.
void wire_file_setup(const Options& options, RemoteSetup& setup);

/// The --basefile files, or null without any: for `masters`' hosts, with
/// the folder of --workdir (never "...": only absolute base files are
/// allowed there, options_remote.cpp). Throws UsageError for a file that
/// cannot be read.
std::unique_ptr<BaseFiles> make_base_files(const Options& options, const RemoteSetup& setup,
                                           Executor& spawner, const SshMasters& masters);

}  // namespace wgrun::cli
