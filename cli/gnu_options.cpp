// gnu_options.cpp: the table of GNU parallel's and xargs' options and their
// status in wgrun, its look-ups, and its rendering for the man page.
#include "gnu_options.hpp"

#include <algorithm>
#include <array>

namespace wgrun::cli {
namespace {

using S = CompatStatus;
using O = CompatOrigin;

// The reasons shared by several rows.
#define NO_HOSTS "without -S or --slf it is an error (GNU warns)"
#define REMOTE_ALL                                                                        \
    "not yet: run the command on every host with one wgrun a host (ssh HOST wgrun ...)"
#define CITIZEN                                                                         \
    "wgrun holds jobs back by the machine's load (--load) and free memory (--memfree) "  \
    "only; give -j a number that fits"
#define RETIRED "retired in GNU parallel too"
#define SQL                                                                              \
    "wgrun keeps no job queue in a database: log the jobs with --joblog or --json and "  \
    "run what is missing with --resume or --resume-failed"
#define SEMAPHORE                                                                        \
    "wgrun is not a counting semaphore (GNU's sem): run the commands through one wgrun, " \
    "or guard them with flock(1)"
#define CPUS                                                                           \
    "wgrun counts the CPUs it may use (affinity and cgroup limits); give -j N or -j N% " \
    "for another count"
#define INTERNAL "an internal option of GNU parallel"

constexpr std::array kTable{
    // ---- input sources and argument packing ------------------------------
    CompatOption{"-a --arg-file --argfile", O::Both, S::Same, "--arg-file", ""},
    CompatOption{"--arg-sep --argsep", O::Gnu, S::Same, "--arg-sep", ""},
    CompatOption{"--arg-file-sep --argfilesep", O::Gnu, S::Same, "--arg-file-sep", ""},
    CompatOption{"-0 --null", O::Both, S::Differs, "--null",
                 "with --pipe, records end at NUL (GNU parallel 20221122 ignores -0 there: "
                 "--recend '\\0' does it)"},
    CompatOption{"-d --delimiter", O::Both, S::Same, "--delimiter", ""},
    CompatOption{"-E", O::Both, S::Same, "--eof", ""},
    CompatOption{"-e --eof", O::Both, S::Same, "--eof", ""},
    CompatOption{"-I", O::Both, S::Same, "--replace", ""},
    CompatOption{"-i --replace", O::Both, S::Same, "--replace", ""},
    CompatOption{"-r --no-run-if-empty --norunifempty", O::Both, S::Same, "--no-run-if-empty",
                 ""},
    CompatOption{"-n --max-args --maxargs", O::Both, S::Differs, "--max-args",
                 "an empty line is an empty argument, as in GNU parallel (xargs skips it); "
                 "an argument too long alone fails its own job (GNU and xargs end the run)"},
    CompatOption{"-N --max-replace-args --maxreplaceargs", O::Gnu, S::Same,
                 "--max-replace-args", ""},
    CompatOption{"-L", O::Both, S::Differs, "--max-lines",
                 "GNU parallel's meaning: each line is one argument (xargs splits it into "
                 "words), an empty line is an empty argument (xargs skips it)"},
    CompatOption{"-l --max-lines --maxlines", O::Both, S::Differs, "--max-lines",
                 "as -L; -l takes the next word as N only when it is a number"},
    CompatOption{"-s --max-chars --maxchars", O::Both, S::Differs, "--max-chars",
                 "alone it packs as many arguments as fit, as xargs does (GNU parallel: one a "
                 "job); a shell command is held to 131072 bytes (Linux's limit on one "
                 "argument)"},
    CompatOption{"-x --exit", O::Both, S::Differs, "--exit",
                 "stops the run as xargs -x does, with exit status 255 (xargs: 1); GNU "
                 "parallel ignores -x"},
    CompatOption{"-X", O::Gnu, S::Same, "", ""},
    CompatOption{"-m", O::Gnu, S::Same, "", ""},
    CompatOption{"--xargs", O::Gnu, S::Same, "--xargs", ""},
    CompatOption{"--link --xapply", O::Gnu, S::Same, "--link", ""},
    CompatOption{"--linkinputsource --xapplyinputsource", O::Gnu, S::Unsupported, "",
                 INTERNAL " (what :::+ and ::::+ set): use :::+ or ::::+"},
    CompatOption{"--shuf", O::Gnu, S::Same, "--shuf", ""},
    CompatOption{"--process-slot-var --processslotvar", O::Both, S::Same, "--process-slot-var",
                 ""},
    CompatOption{"--skip-first-line --skipfirstline", O::Gnu, S::Unsupported, "",
                 "it serves --shebang, which wgrun does not have: use tail -n +2 FILE | wgrun ..."},
    CompatOption{"--shebang --hashbang", O::Gnu, S::Unsupported, "",
                 "write the script in sh and run wgrun ... :::: FILE in it"},
    CompatOption{"-Y", O::Gnu, S::Unsupported, "", RETIRED},
    // ---- columns ---------------------------------------------------------
    CompatOption{"-C --colsep --col-sep", O::Gnu, S::Same, "--colsep", ""},
    CompatOption{"--csv", O::Gnu, S::Same, "--csv", ""},
    CompatOption{"--header", O::Gnu, S::Same, "--header", ""},
    CompatOption{"--trim", O::Gnu, S::Same, "--trim", ""},
    // ---- replacement strings ---------------------------------------------
    CompatOption{"--plus", O::Gnu, S::Same, "--plus", ""},
    CompatOption{"--er --extensionreplace", O::Gnu, S::Same, "--extensionreplace", ""},
    CompatOption{"--bnr --basenamereplace", O::Gnu, S::Same, "--basenamereplace", ""},
    CompatOption{"--dnr --dirnamereplace", O::Gnu, S::Same, "--dirnamereplace", ""},
    CompatOption{"--bner --basenameextensionreplace", O::Gnu, S::Same,
                 "--basenameextensionreplace", ""},
    CompatOption{"--seqreplace", O::Gnu, S::Same, "--seqreplace", ""},
    CompatOption{"--slotreplace", O::Gnu, S::Same, "--slotreplace", ""},
    CompatOption{"--parens", O::Gnu, S::Same, "--parens", ""},
    CompatOption{"--rpl", O::Gnu, S::Same, "--rpl", ""},
    CompatOption{"--filter", O::Gnu, S::Same, "--filter", ""},
    CompatOption{"-q --quote", O::Gnu, S::Same, "--quote", ""},
    CompatOption{"--template --tmpl", O::Gnu, S::Unsupported, "",
                 "let the job fill the file in: wgrun 'sed s/X/{}/ FILE > out.{#}' ::: ..."},
    CompatOption{"-U", O::Gnu, S::Unsupported, "", RETIRED ": use --er"},
    // ---- how many jobs, and when -----------------------------------------
    CompatOption{"-j --jobs", O::Gnu, S::Differs, "--jobs",
                 "N, N%, +N, -N, 0 and a file name (a procfile, read again as jobs end) as in "
                 "GNU parallel, of the CPUs wgrun may use; SIGUSR1 and SIGUSR2 add and take "
                 "one slot, as in xargs (GNU parallel: list the jobs, toggle --progress)"},
    CompatOption{"-P --max-procs --maxprocs", O::Both, S::Differs, "--jobs",
                 "the same as -j; SIGUSR1 and SIGUSR2 add and take one slot, as in xargs"},
    CompatOption{"--delay", O::Gnu, S::Differs, "--delay",
                 "a duration (5, 1.5s, 2m); GNU's auto suffix is refused"},
    CompatOption{"--load", O::Gnu, S::Same, "--load", ""},
    CompatOption{"--memfree", O::Gnu, S::Differs, "--memfree",
                 "MemAvailable counts (GNU: MemFree, Buffers and Cached); a job ended for "
                 "memory runs again, as an attempt only under --retries"},
    CompatOption{"--memsuspend", O::Gnu, S::Unsupported, "", CITIZEN},
    CompatOption{"--noswap", O::Gnu, S::Unsupported, "", CITIZEN},
    CompatOption{"--limit", O::Gnu, S::Unsupported, "", CITIZEN},
    CompatOption{"--use-cpus-instead-of-cores --usecpusinsteadofcores", O::Gnu, S::Unsupported, "",
                 CPUS},
    CompatOption{"--use-cores-instead-of-threads --usecoresinsteadofthreads", O::Gnu,
                 S::Unsupported, "", CPUS},
    CompatOption{"--use-sockets-instead-of-threads --usesocketsinsteadofthreads", O::Gnu,
                 S::Unsupported, "", CPUS},
    CompatOption{"--nice", O::Gnu, S::Same, "--nice", ""},
    CompatOption{"-p --interactive", O::Both, S::Unsupported, "",
                 "wgrun does not ask before each job: look at the commands with --dry-run first"},
    // ---- how a job runs ---------------------------------------------------
    CompatOption{"--env", O::Gnu, S::Differs, "--env",
                 "the variable is exported to local jobs; remote jobs come with the scale-out "
                 "issue"},
    CompatOption{"--wd --workdir --work-dir", O::Gnu, S::Differs, "--workdir",
                 "a local directory (remote ones come with the scale-out issue); ... is a "
                 "fresh folder per job, removed however the run ends"},
    CompatOption{"--tty", O::Gnu, S::Differs, "--tty",
                 "the job gets the terminal's foreground: Ctrl-C ends the job, not the run"},
    CompatOption{"-o --open-tty", O::Both, S::Unsupported, "", "use --tty"},
    CompatOption{"-T", O::Gnu, S::Unsupported, "", RETIRED ": use --tty"},
    CompatOption{"--tmpdir --tempdir", O::Gnu, S::Same, "--tmpdir", ""},
    CompatOption{"--record-env --recordenv", O::Gnu, S::Unsupported, "",
                 "it serves env_parallel, which wgrun does not have: export what a job needs, "
                 "or name it with --env"},
    CompatOption{"--session", O::Gnu, S::Unsupported, "",
                 "it serves env_parallel, which wgrun does not have: export what a job needs, "
                 "or name it with --env"},
    // ---- when things go wrong ---------------------------------------------
    CompatOption{"--halt --halt-on-error --haltonerror", O::Gnu, S::Same, "--halt", ""},
    CompatOption{"--retries", O::Gnu, S::Same, "--retries", ""},
    CompatOption{"--timeout", O::Gnu, S::Same, "--timeout", ""},
    CompatOption{"--term-seq --termseq", O::Gnu, S::Same, "--term-seq", ""},
    CompatOption{"-H", O::Gnu, S::Unsupported, "", RETIRED ": use --halt"},
    CompatOption{"--ctrl-c --ctrlc", O::Gnu, S::Unsupported, "", RETIRED},
    CompatOption{"--no-ctrl-c --no-ctrlc --noctrlc", O::Gnu, S::Unsupported, "", RETIRED},
    // ---- output ------------------------------------------------------------
    CompatOption{"--group", O::Gnu, S::Same, "--group", ""},
    CompatOption{"-g", O::Gnu, S::Unsupported, "", RETIRED ": use --group"},
    CompatOption{"-u --ungroup", O::Gnu, S::Same, "--ungroup", ""},
    CompatOption{"--line-buffer --line-buffered --linebuffer --linebuffered --lb", O::Gnu,
                 S::Same, "--line-buffer", ""},
    CompatOption{"--latest-line --latestline --ll", O::Gnu, S::Unsupported, "",
                 "wgrun does not redraw each job's last line: use --line-buffer, or --bar for "
                 "the progress"},
    CompatOption{"-k --keep-order --keeporder", O::Gnu, S::Same, "--keep-order", ""},
    CompatOption{"--no-keep-order --nokeeporder --nok --no-k", O::Gnu, S::Same, "--no-keep-order",
                 ""},
    CompatOption{"--tag", O::Gnu, S::Same, "--tag", ""},
    CompatOption{"--tagstring --tag-string", O::Gnu, S::Same, "--tagstring", ""},
    CompatOption{"--color --colour", O::Gnu, S::Differs, "--color",
                 "colours the --tag prefixes and the failure report, and takes =auto, =always "
                 "or =never; GNU colours each job's output"},
    CompatOption{"--ctag", O::Gnu, S::Unsupported, "", "use --tag --color"},
    CompatOption{"--ctagstring --ctag-string", O::Gnu, S::Unsupported, "",
                 "use --tagstring STR --color"},
    CompatOption{"--color-failed --colour-failed --colorfailed --colourfailed --color-fail "
                 "--colour-fail --colorfail --colourfail --cf",
                 O::Gnu, S::Unsupported, "",
                 "wgrun's failure report names the failed jobs; --color colours it"},
    CompatOption{"--results --result --res", O::Gnu, S::Differs, "--results",
                 "GNU's naming and tables; the jobs' output also goes to stdout and stderr "
                 "(GNU writes it to the files only), and a status file is written beside seq"},
    CompatOption{"--files --output-as-files --outputasfiles", O::Gnu, S::Differs, "--files",
                 "the jobs' stderr is passed through (GNU 20221122 loses it)"},
    CompatOption{"--compress", O::Gnu, S::Differs, "--compress",
                 "GNU's choice of program; what it compresses is what wgrun keeps on disk: "
                 "output past 512 KiB per stream (smaller output stays in memory), -k's "
                 "parking file and --files' files; --results files are written plain (GNU "
                 "compresses them, and then writes nothing to stdout)"},
    CompatOption{"--compress-program --compressprogram --use-compress-program "
                 "--usecompressprogram",
                 O::Gnu, S::Same, "--compress-program", ""},
    CompatOption{"--decompress-program --decompressprogram --use-decompress-program "
                 "--usedecompressprogram",
                 O::Gnu, S::Same, "--decompress-program",
                 ""},
    CompatOption{"--tmux", O::Gnu, S::Unsupported, "",
                 "look at each job's output with --results DIR or --files instead"},
    CompatOption{"--tmux-pane --tmuxpane", O::Gnu, S::Unsupported, "",
                 "look at each job's output with --results DIR or --files instead"},
    // ---- what wgrun says ---------------------------------------------------
    CompatOption{"-t --verbose", O::Both, S::Same, "--verbose", ""},
    CompatOption{"-v", O::Gnu, S::Same, "", ""},
    CompatOption{"--silent", O::Gnu, S::Same, "--silent", ""},
    CompatOption{"--dry-run --dryrun --dr", O::Gnu, S::Same, "--dry-run", ""},
    CompatOption{"--progress", O::Gnu, S::Same, "--progress", ""},
    CompatOption{"--eta", O::Gnu, S::Differs, "--eta",
                 "one line on standard error with --bar's facts (done/total, failed, time, "
                 "ETA), redrawn in place; GNU's line counts seconds left and jobs per computer"},
    CompatOption{"--bar", O::Gnu, S::Differs, "--bar",
                 "drawn on a terminal only, never as zenity input"},
    CompatOption{"--total-jobs --totaljobs --total", O::Gnu, S::Same, "--total-jobs", ""},
    CompatOption{"--joblog --jl", O::Gnu, S::Same, "--joblog", ""},
    CompatOption{"--resume", O::Gnu, S::Same, "--resume", ""},
    CompatOption{"--resume-failed --resumefailed", O::Gnu, S::Same, "--resume-failed", ""},
    CompatOption{"--retry-failed --retryfailed", O::Gnu, S::Same, "--retry-failed", ""},
    CompatOption{"-D --debug", O::Gnu, S::Unsupported, "",
                 "look at the commands with --dry-run or --verbose"},
    // ---- citation, versions, help -----------------------------------------
    CompatOption{"--will-cite --willcite --no-notice --nonotice --nn", O::Gnu, S::Ignored,
                 "--will-cite", "wgrun prints no citation notice"},
    CompatOption{"--citation --bibtex", O::Gnu, S::Differs, "--citation",
                 "prints one line saying that wgrun has no notice to silence, and runs nothing "
                 "(GNU parallel prints its citation)"},
    CompatOption{"-V --version", O::Both, S::Differs, "--version",
                 "prints wgrun's version (as git describe gives it), not GNU parallel's"},
    CompatOption{"--minversion --min-version", O::Gnu, S::Differs, "--minversion",
                 "answers for the version of GNU parallel whose options wgrun follows, 20221122: "
                 "prints it, and exits 0 when VERSION is not above it, 255 when it is"},
    CompatOption{"-h --help", O::Both, S::Differs, "--help", "wgrun's options, not GNU's"},
    CompatOption{"--shellquote --shell-quote --shell_quote", O::Gnu, S::Differs, "--shellquote",
                 "the input values inside COMMAND are quoted the way wgrun quotes them "
                 "('\\'' for a quote; GNU writes '\"'\"'), so a value with a quote or one of "
                 ":@%,= may come out spelled otherwise"},
    CompatOption{"--plain", O::Gnu, S::Differs, "--plain",
                 "ignores $PARALLEL; wgrun reads no profile file in any case"},
    CompatOption{"-J --profile", O::Gnu, S::Unsupported, "",
                 "wgrun reads no profile file: put the options in $PARALLEL, a shell alias or a "
                 "shell function"},
    CompatOption{"--gnu", O::Gnu, S::Ignored, "--gnu", "wgrun always follows GNU parallel"},
    CompatOption{"--tollef", O::Gnu, S::Unsupported, "", RETIRED},
    CompatOption{"--bug", O::Gnu, S::Unsupported, "", INTERNAL},
    CompatOption{"--embed", O::Gnu, S::Unsupported, "",
                 "wgrun is a program to install, not a script to embed"},
    CompatOption{"--shell-completion --shellcompletion", O::Gnu, S::Unsupported, "",
                 "wgrun has no shell completion yet"},
    CompatOption{"--number-of-cpus --numberofcpus", O::Gnu, S::Unsupported, "",
                 "use nproc or lscpu"},
    CompatOption{"--number-of-cores --numberofcores", O::Gnu, S::Unsupported, "",
                 "use nproc or lscpu"},
    CompatOption{"--number-of-threads --numberofthreads", O::Gnu, S::Unsupported, "",
                 "use nproc"},
    CompatOption{"--number-of-sockets --numberofsockets", O::Gnu, S::Unsupported, "",
                 "use lscpu"},
    CompatOption{"--max-line-length-allowed --maxlinelengthallowed", O::Gnu, S::Unsupported, "",
                 "use getconf ARG_MAX (wgrun(1), -s, says what wgrun keeps under)"},
    CompatOption{"--show-limits --showlimits", O::Both, S::Unsupported, "",
                 "use xargs --show-limits, or getconf ARG_MAX"},
    CompatOption{"--_parset", O::Gnu, S::Unsupported, "", INTERNAL " (parset's)"},
    CompatOption{"--_pipe-means-argfiles", O::Gnu, S::Unsupported, "", INTERNAL},
    CompatOption{"--_test", O::Gnu, S::Unsupported, "", INTERNAL},
    // ---- remote computers --------------------------------------------------
    CompatOption{"-S --sshlogin", O::Gnu, S::Differs, "--sshlogin",
                 "a login is [N/][user@]host[:port] or : (this machine); GNU's logins with an "
                 "ssh command in them (\"ssh -p 2 host\") are not: use --ssh"},
    CompatOption{"--slf --sshloginfile", O::Gnu, S::Differs, "--sshloginfile",
                 "GNU's names . and .. for its own files are not taken"},
    CompatOption{"--ssh", O::Gnu, S::Same, "--ssh", ""},
    CompatOption{"--sshdelay --ssh-delay", O::Gnu, S::Differs, "--sshdelay",
                 "between opening two hosts' connections: jobs share their host's one "
                 "ControlMaster connection and open none"},
    CompatOption{"-M --controlmaster", O::Gnu, S::Ignored, "--controlmaster",
                 "wgrun always runs a host's jobs over one ControlMaster connection"},
    CompatOption{"--transferfile --transfer-file --transferfiles --transfer-files --tf", O::Gnu,
                 S::Differs, "--transferfile",
                 "a file that rsync cannot send fails the job unrun (GNU runs it anyway); one "
                 "that cannot be read here is skipped with a warning, as in GNU; " NO_HOSTS},
    CompatOption{"--transfer", O::Gnu, S::Differs, "--transfer", "as --tf {}; " NO_HOSTS},
    CompatOption{"--return", O::Gnu, S::Differs, "--return",
                 "a file that cannot be fetched fails a job that succeeded, with status 255 "
                 "(GNU keeps the job's status); " NO_HOSTS},
    CompatOption{"--cleanup", O::Gnu, S::Differs, "--cleanup",
                 "a job ended early (--timeout, Ctrl-C) leaves its files, as in GNU; " NO_HOSTS},
    CompatOption{"--trc", O::Gnu, S::Differs, "--trc", "as --return and --cleanup; " NO_HOSTS},
    CompatOption{"--basefile --bf", O::Gnu, S::Differs, "--basefile",
                 "sent to every host at once; a host that does not get it is an error, or is "
                 "left out with --filter-hosts; " NO_HOSTS},
    CompatOption{"-B", O::Gnu, S::Unsupported, "", RETIRED ": use --bf"},
    CompatOption{"-W", O::Gnu, S::Unsupported, "", RETIRED ": use --wd"},
    CompatOption{"--rsync-opts --rsyncopts", O::Gnu, S::Differs, "--rsync-opts",
                 "wgrun adds -s (--protect-args) and -R to them; " NO_HOSTS},
    CompatOption{"--onall", O::Gnu, S::Unsupported, "", REMOTE_ALL},
    CompatOption{"--nonall", O::Gnu, S::Unsupported, "", REMOTE_ALL},
    CompatOption{"--filter-hosts --filterhosts --filter-host", O::Gnu, S::Differs, "--filter-hosts",
                 "without it, a host that cannot be logged in to at the start is an error, "
                 "not a host whose jobs fail"},
    CompatOption{"--hostgroups --hostgroup --hostgrp --hgrp", O::Gnu, S::Unsupported, "",
                 "not yet: every job may run on every host"},
    // ---- SQL, semaphore ----------------------------------------------------
    CompatOption{"--sqlmaster --sql-master", O::Gnu, S::Unsupported, "", SQL},
    CompatOption{"--sqlworker --sql-worker", O::Gnu, S::Unsupported, "", SQL},
    CompatOption{"--sqlandworker --sql-and-worker", O::Gnu, S::Unsupported, "", SQL},
    CompatOption{"--sql", O::Gnu, S::Unsupported, "", RETIRED},
    CompatOption{"--semaphore", O::Gnu, S::Unsupported, "", SEMAPHORE},
    CompatOption{"--semaphorename --semaphore-name --id", O::Gnu, S::Unsupported, "", SEMAPHORE},
    CompatOption{"--semaphoretimeout --semaphore-timeout --st", O::Gnu, S::Unsupported, "",
                 SEMAPHORE},
    CompatOption{"--fg", O::Gnu, S::Unsupported, "", SEMAPHORE},
    CompatOption{"--bg", O::Gnu, S::Unsupported, "", SEMAPHORE},
    CompatOption{"--wait", O::Gnu, S::Unsupported, "", SEMAPHORE},
    // ---- --pipe ------------------------------------------------------------
    CompatOption{"--pipe --spreadstdin", O::Gnu, S::Same, "--pipe", ""},
    CompatOption{"--pipepart --pipe-part", O::Gnu, S::Same, "--pipepart", ""},
    CompatOption{"--block --block-size --blocksize", O::Gnu, S::Same, "--block", ""},
    CompatOption{"--blocktimeout --block-timeout --bt", O::Gnu, S::Unsupported, "",
                 "not yet: a block is passed when it is full or the input ends"},
    CompatOption{"--recstart", O::Gnu, S::Same, "--recstart", ""},
    CompatOption{"--recend", O::Gnu, S::Same, "--recend", ""},
    CompatOption{"--regexp --regex", O::Gnu, S::Differs, "--regexp",
                 "Boost.Regex's Perl syntax, not Perl itself: the common expressions match "
                 "alike"},
    CompatOption{"--remove-rec-sep --removerecsep --rrs", O::Gnu, S::Same, "--remove-rec-sep",
                 ""},
    CompatOption{"--roundrobin --round-robin --round", O::Gnu, S::Same, "--round-robin", ""},
    CompatOption{"--cat", O::Gnu, S::Same, "--cat", ""},
    CompatOption{"--fifo", O::Gnu, S::Same, "--fifo", ""},
    CompatOption{"--tee", O::Gnu, S::Differs, "--tee",
                 "not with --pipepart yet (give the file on stdin); the jobs read stdin "
                 "through wgrun, not through tee(1) and named pipes"},
    CompatOption{"--shard", O::Gnu, S::Differs, "--shard",
                 "wgrun's --shard K/N runs every Nth job of the input, for cluster arrays "
                 "(auto: from Slurm, Kubernetes or AWS Batch); GNU's --shard COLUMN sends "
                 "--pipe's lines to jobs by a column's hash, which wgrun does not do"},
    CompatOption{"--bin", O::Gnu, S::Unsupported, "",
                 "wgrun does not send --pipe's lines to jobs by a column's value; split by "
                 "the value first (awk) and give the files with :::"},
    CompatOption{"--groupby --group-by", O::Gnu, S::Unsupported, "",
                 "wgrun does not group --pipe's records by a column yet; sort and split by "
                 "the value first (awk) and give the files with :::"},
    // ---- wgrun's own -------------------------------------------------------
    CompatOption{"--no-shell", O::Wgrun, S::Own, "--no-shell", ""},
    CompatOption{"--shell", O::Wgrun, S::Own, "--shell", ""},
    CompatOption{"--fail-fast", O::Wgrun, S::Own, "--fail-fast", ""},
    CompatOption{"--output-grace", O::Wgrun, S::Own, "--output-grace", ""},
    CompatOption{"--ci", O::Wgrun, S::Own, "--ci", ""},
    CompatOption{"--jobserver", O::Wgrun, S::Own, "--jobserver", ""},
    CompatOption{"--slurm", O::Wgrun, S::Own, "--slurm", ""},
    CompatOption{"--json", O::Wgrun, S::Own, "--json", ""},
    CompatOption{"--junit", O::Wgrun, S::Own, "--junit", ""},
    CompatOption{"--report", O::Wgrun, S::Own, "--report", ""},
    CompatOption{"--quiet", O::Wgrun, S::Own, "--quiet", ""},
    CompatOption{"--completion", O::Wgrun, S::Own, "--completion", ""},
};

#undef NO_HOSTS
#undef REMOTE_ALL
#undef CITIZEN
#undef RETIRED
#undef SQL
#undef SEMAPHORE
#undef CPUS
#undef INTERNAL

std::string_view origin_words(CompatOrigin from) {
    switch (from) {
        case O::Gnu: return "a GNU parallel option";
        case O::Xargs: return "an xargs option";
        case O::Both: return "a GNU parallel and xargs option";
        case O::Wgrun: return "wgrun's own option";
    }
    return "";
}

// mdoc text: a backslash is \e; a sentence per line, as mdoc asks (a new
// one starts after a period with a capital letter), lines of about 80 bytes
// at most; a line that would start with a dot or a quote is guarded with \&.
std::string roff_text(std::string_view text) {
    constexpr std::size_t kWidth = 72;  // lines of at most about 80 bytes
    std::string out;
    bool line_start = true;
    std::size_t line_begin = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' && i > 0 &&
            ((text[i - 1] == '.' && i + 1 < text.size() && text[i + 1] >= 'A' &&
              text[i + 1] <= 'Z') ||
             out.size() - line_begin +
                                           std::min(text.find(' ', i + 1), text.size()) - i >
                                       kWidth)) {
            out += '\n';
            line_begin = out.size();
            line_start = true;
            continue;
        }
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        line_start = false;
        if (c == '\\') {
            out += "\\e";
        } else {
            out += c;
        }
    }
    return out;
}

// ".It Fl \-sqlmaster , Fl \-sql\-master": a row's names as an .It line.
std::string man_names(const CompatOption& option) {
    std::string line = ".It";
    bool first = true;
    for (std::string_view name : names_of(option)) {
        if (!first) line += " ,";
        first = false;
        line += " Fl ";
        for (char c : name.substr(1)) {
            if (c == '-') {
                line += "\\-";
            } else {
                line += c;
            }
        }
    }
    return line + "\n";
}

}  // namespace

std::span<const CompatOption> compat_options() { return kTable; }

std::vector<std::string_view> names_of(const CompatOption& option) {
    std::vector<std::string_view> names;
    std::string_view rest = option.names;
    while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        names.push_back(rest.substr(0, space));
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    return names;
}

const CompatOption* find_compat_option(std::string_view name) {
    for (const CompatOption& option : kTable) {
        for (std::string_view n : names_of(option)) {
            if (n == name) return &option;
        }
    }
    return nullptr;
}

std::string unsupported_message(const CompatOption& option, std::string_view spelled) {
    return std::string(spelled) + " is " + std::string(origin_words(option.from)) +
           " that wgrun does not support: " + std::string(option.note);
}

std::string compat_man_table() {
    struct Part {
        CompatStatus status;
        const char* title;
    };
    const Part parts[] = {
        {S::Same, "Same as in GNU parallel or xargs"},
        {S::Differs, "Different from GNU parallel or xargs"},
        {S::Ignored, "Accepted and ignored"},
        {S::Unsupported, "Not supported"},
    };
    std::string text(kManTableBegin);
    text += '\n';
    for (const Part& part : parts) {
        text += ".Ss ";
        text += part.title;
        text += "\n.Bl -tag -width Ds -compact\n";
        for (const CompatOption& option : kTable) {
            if (option.status != part.status) continue;
            text += man_names(option);
            text += option.from == O::Gnu     ? "(GNU parallel)"
                    : option.from == O::Xargs ? "(xargs)"
                                              : "(GNU parallel and xargs)";
            if (!option.note.empty()) {
                text += '\n';
                text += roff_text(option.note);
            }
            text += '\n';
        }
        text += ".El\n";
    }
    text += kManTableEnd;
    text += '\n';
    return text;
}

}  // namespace wgrun::cli
