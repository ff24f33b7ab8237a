// remote_files.hpp: the commands that move a job's files between this
// machine and its host (GNU parallel's --transferfile, --return, --cleanup,
// --basefile): rsync over the host's ssh connection, and one ssh command that
// removes them there afterwards. Files land where GNU parallel puts them:
//   - a relative path (sub/f) goes under the job's remote folder, the same
//     relative path (rsync -R): FOLDER/sub/f;
//   - an absolute path (/data/f) keeps its path on the host: /data/f;
//   - a path with /./ in it (/data/./sub/f) is relative from there (the first
//     /./, as rsync reads it): FOLDER/sub/f.
// A returned file comes back to the same path here, relative ones relative to
// wgrun's folder (dir/./sub/f: from FOLDER/sub/f to dir/sub/f).
// Nothing here runs anything: these are argvs for transfer_script.hpp. No path
// is ever put in a command for a shell unquoted; rsync gets the names with
// -s (--protect-args), so that the remote shell does not split or expand them.
#pragma once

#include <string>
#include <vector>

namespace wgrun {

/// Where a job's relative paths are on its host.
struct RemoteFolder {
    enum class Kind {
        Home,    // the login's home (no --workdir)
        Folder,  // --workdir DIR: `path`, absolute or under the home, made if missing
        Temp,    // --workdir ...: `path` is a name under the host's $TMPDIR (or /tmp)
    };
    Kind kind = Kind::Home;
    std::string path;
    /// The folder as the remote POSIX shell reads it: "." for the home, the
    /// quoted path, or "${TMPDIR:-/tmp}"/'NAME'.
    std::string shell_word() const;
};

/// How a host is reached.
struct HostLink {
    std::vector<std::string> rsync;  // rsync and its options (--rsync-opts, default -rlDzR)
    std::vector<std::string> ssh;    // the ssh client's words without the host (-e for rsync)
    std::string host;                // the host as ssh's last word, before a remote command
    std::string name;                // the login as wgrun names it, for the messages
};

/// One thing to do around a job (transfer_script.hpp says how each runs).
struct FileStep {
    enum class Kind {
        Say,    // print `text` on stderr (a file not sent)
        Send,   // run argv before the job; when it fails the job is not run
        Job,    // the job itself
        Fetch,  // run argv after the job; when it fails the job has failed
        Clean,  // run argv after the job, its failure and output ignored
        Unrun,  // as Clean, but only when the job was not run (a Send failed):
                // when it ran, the last Fetch cleaned up (fetch_steps' `then`)
    };
    Kind kind = Kind::Clean;
    std::string text;  // Say: the line; Send, Fetch: the start of the error message
    std::vector<std::string> argv;
};

/// rsync's -e value for `words`: rsync splits it at spaces itself, each word
/// here in single quotes, a quote inside doubled ('a''b' is a'b).
std::string rsync_rsh(const std::vector<std::string>& words);

/// Sends `files` to the host: at most two rsyncs (the relative ones into
/// `folder`, made if missing; the absolute ones to their own paths). A file
/// that cannot be read here is not sent: a Say step names it instead (as GNU
/// parallel warns).
std::vector<FileStep> send_steps(const HostLink& link, const RemoteFolder& folder,
                                 const std::vector<std::string>& files);

/// Fetches `files` from the host after the job: one rsync for each folder
/// here they go to (a folder before /./ is made first). `then`: a remote
/// shell command (cleanup_command()) the host runs after the last rsync,
/// from the home, its output dropped and its status ignored: the cleanup in
/// the same ssh session, one fewer for each job.
std::vector<FileStep> fetch_steps(const HostLink& link, const RemoteFolder& folder,
                                  const std::vector<std::string>& files,
                                  const std::string& then = {});

/// The remote shell command that removes `files` from the host (--cleanup),
/// then the folders that held them as far up as they are empty (the folder
/// itself too, but never / nor the home), as GNU parallel does; with
/// `remove_folder` (a Temp folder) that whole folder. Empty when there is
/// nothing to remove.
std::string cleanup_command(const RemoteFolder& folder, const std::vector<std::string>& files,
                            bool remove_folder);

/// cleanup_command() as a Clean step (one ssh), or nothing.
std::vector<FileStep> cleanup_steps(const HostLink& link, const RemoteFolder& folder,
                                    const std::vector<std::string>& files, bool remove_folder);

}  // namespace wgrun
