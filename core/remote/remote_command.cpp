// remote_command.cpp: the Perl wrapper and its quoted arguments.
#include "remote/remote_command.hpp"

#include "command/shell_quote.hpp"

namespace wgrun {
namespace {

// A signal wakes the wait through a pipe its handler writes to (Perl runs
// handlers between its own steps: one that comes just before select() would
// otherwise leave it waiting for its timeout).
// Arguments: WORKDIR_MODE ("", "d" folder, "t" temporary, "n" named under
// the login's $TMPDIR, left for the cleanup) WORKDIR NICE
// N_ENV ENV... ARGV... Only modules from perl-base (POSIX, File::Path).
// The prctl number makes the wrapper the child subreaper, so that a
// setsid'ed, orphaned descendant stays in its tree (a host whose machine is
// not in the table keeps the rest).
constexpr const char* kWrapper = R"PERL(use POSIX;
my ($mode, $wd, $nice, $n) = splice(@ARGV, 0, 4);
my $login_tmp = $ENV{TMPDIR} || "/tmp";
for (1 .. $n) { my ($k, $v) = split(/=/, shift(@ARGV), 2); $ENV{$k} = $v; }
my @cmd = @ARGV;
my $tmp;
if ($mode eq "t") {
    my $base = $ENV{TMPDIR} || "/tmp";
    for (1 .. 100) {
        my $d = "$base/wgrun-wd.$$." . int(rand(1e9));
        if (mkdir($d, 0700)) { $tmp = $d; last; }
    }
    if (!defined $tmp) { print STDERR "wgrun: cannot make a folder in $base: $!\n"; exit 1; }
    $wd = $tmp;
} elsif ($mode eq "n") {
    $wd = "$login_tmp/$wd";
    require File::Path;
    eval { File::Path::make_path($wd) };
} elsif ($mode eq "d" && !-d $wd) {
    require File::Path;
    eval { File::Path::make_path($wd) };
}
my %prctl = (x86_64 => 157, aarch64 => 167, riscv64 => 167, ppc64le => 171, ppc64 => 171,
             s390x => 172, i686 => 172, i386 => 172);
if (my $nr = $prctl{(POSIX::uname())[4]}) { syscall($nr, 36, 1, 0, 0, 0); }
my $pid = fork();
if (!defined $pid) { print STDERR "wgrun: fork: $!\n"; exit 1; }
if ($pid == 0) {
    setpgrp(0, 0);
    open(STDIN, "<", "/dev/null");
    if ($wd ne "" && !chdir($wd)) { print STDERR "wgrun: cannot change to $wd: $!\n"; POSIX::_exit(1); }
    setpriority(0, 0, $nice) if $nice ne "";
    $SIG{$_} = "DEFAULT" for qw(CHLD TERM INT HUP PIPE);
    exec { $cmd[0] } @cmd;
    print STDERR "wgrun: cannot run $cmd[0]: $!\n";
    POSIX::_exit($! == POSIX::ENOENT ? 127 : 126);
}
my ($gone, $status) = (0, undef);
pipe(my $woken, my $wake);
$SIG{CHLD} = sub { syswrite($wake, "x") };
$SIG{$_} = sub { $gone = 1; syswrite($wake, "x") } for qw(TERM INT HUP);
$SIG{PIPE} = "IGNORE";
while (!defined $status) {
    if (waitpid($pid, WNOHANG) == $pid) { $status = $?; last; }
    last if $gone;
    my $rin = "";
    vec($rin, 0, 1) = 1;
    vec($rin, fileno($woken), 1) = 1;
    if (select(my $rout = $rin, undef, undef, 5) > 0) {
        sysread($woken, my $byte, 512) if vec($rout, fileno($woken), 1);
        $gone = 1 if vec($rout, 0, 1) && !sysread(STDIN, my $buf, 512);
    }
}
sub tree {
    my %kids;
    opendir(my $proc, "/proc") or return ();
    for my $p (grep { /^\d+$/ } readdir($proc)) {
        open(my $f, "<", "/proc/$p/stat") or next;
        my $line = <$f>;
        push @{ $kids{$1} }, $p if defined $line && $line =~ /\)\s+\S+\s+(\d+)/;
    }
    my @all;
    my @todo = ($$);
    while (@todo) { for my $c (@{ $kids{shift @todo} || [] }) { push @all, $c; push @todo, $c; } }
    return @all;
}
for my $sig ("TERM", "KILL") {
    last if !tree();
    kill($sig, -$pid) if !defined $status;
    kill($sig, tree());
    for (1 .. 20) {
        while ((my $r = waitpid(-1, WNOHANG)) > 0) { $status = $? if $r == $pid; }
        last if !tree();
        select(undef, undef, undef, 0.1);
    }
}
if (defined $tmp) { require File::Path; File::Path::remove_tree($tmp); }
exit(!defined $status ? 1 : ($status & 127) ? 128 + ($status & 127) : $status >> 8);
)PERL";

}  // namespace

const std::string& remote_wrapper() {
    static const std::string wrapper(kWrapper);
    return wrapper;
}

std::string remote_command(const SpawnRequest& request, const RemoteSetup& setup,
                           const std::string& temp_folder) {
    const std::vector<std::string>& argv =
        request.shell_argv.empty() ? request.argv : request.shell_argv;
    std::string mode;
    std::string workdir;
    if (setup.workdir == "..." && !temp_folder.empty()) {
        mode = "n";
        workdir = temp_folder;
    } else if (setup.workdir == "...") {
        mode = "t";
    } else if (!setup.workdir.empty()) {
        mode = "d";
        workdir = setup.workdir;
    }
    std::string line = "exec perl -e " + shell_quote(remote_wrapper()) + " --";
    const auto add = [&line](std::string_view word) {
        line += ' ';
        line += shell_quote(word);
    };
    add(mode);
    add(workdir);
    add(request.nice ? std::to_string(*request.nice) : std::string());
    add(std::to_string(setup.env.size() + request.env.size()));
    for (const std::string& entry : setup.env) add(entry);
    for (const std::string& entry : request.env) add(entry);
    for (const std::string& word : argv) add(word);
    return line;
}

}  // namespace wgrun
