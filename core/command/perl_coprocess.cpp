// perl_coprocess.cpp: starting perl with posix_spawn, and the protocol.
//
// Requests (wgrun -> perl, fd 3), integers big-endian, strings as a u32
// length then the bytes (any byte, NUL and newline included):
//   'C' code                        compile; reply 'O' u32 id | 'E' message
//   'J' seq(u64) slot(u64) total(u64, 0: not known) u32 n, n strings (the args),
//       u32 m, m pairs u32 expr, u32 arg
//                                   evaluate; reply 'R' u8 skip, then per
//                                   call u8 unquoted, string value
//                                   | 'D' message (an expression died)
//   'F' seq slot total n args, string code
//                                   --filter; reply 'R' u8 truth
#include "command/perl_coprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/spawn_setup.hpp"
#include "base/write_all.hpp"

extern char** environ;

namespace wgrun {
namespace {

// The interpreter's program: GNU parallel 20221122's helpers for
// expressions (package Arg), then the request loop.
constexpr const char* kScript = R"PERL(
use strict;
use POSIX ();
package main;
sub uniq { return keys %{{ map { $_ => 1 } @_ }}; }
sub make_regexp_ungreedy {
    my $regexp = shift;
    my ($class_state, $escape_state, $found, $ungreedy) = (0, 0, 0, "");
    for my $c (split(//, $regexp)) {
        if ($found) { if ($c ne "?") { $ungreedy .= "?"; } $found = 0; }
        $ungreedy .= $c;
        if ($escape_state) { $escape_state = 0; next; }
        if ($c eq "\\") { $escape_state = 1; next; }
        if ($c eq '[') { $class_state = 1; next; }
        if ($class_state) { if ($c eq ']') { $class_state = 0; } next; }
        if ($c =~ /[*}+]/) { $found = 1; }
    }
    if ($found) { $ungreedy .= '?'; }
    return $ungreedy;
}
sub shell_quote_scalar {
    local $_ = $_[0];
    if (/[^-_.+a-z0-9\/]/i) {
        s/'/'"'"'/g; $_ = "'$_'"; s/^''//; s/''$//; return $_;
    } elsif ($_ eq "") { return "''"; }
    return $_;
}
sub Q($) { return shell_quote_scalar($_[0]); }
sub perl_quote_scalar { my $a = $_[0]; if (defined $a) { $a =~ s/[\\\"\$\@]/\\$&/go; } return $a; }
sub pQ($) { return perl_quote_scalar($_[0]); }

package Job;
sub seq { return $_[0]{'seq'}; }
sub slot { return $_[0]{'slot'}; }
sub skip { $_[0]{'skip'} = 1; }
sub filter_eval { my $self = shift; my $job = $self; return eval $_[0]; }
sub total_jobs() { return Arg::total_jobs(); }  # for --filter's code

package Arg;
our ($job, $unquote, @arg) = (undef, 0);
sub Q($) { return ::Q($_[0]); }
sub pQ($) { return ::pQ($_[0]); }
sub hash($) { require B; return B::hash(@_); }
sub total_jobs() {
    return $job->{'total'} if $job->{'total'};
    die "total_jobs() is not known: wgrun reads the input first only for a command that names {##}, {0#} or total_jobs()\n";
}
sub skip() { $job->skip(); }
sub slot() { return $job->slot(); }
sub seq() { return $job->seq(); }
sub uq() { $unquote = 1; }
sub yyyy_mm_dd_hh_mm_ss() { POSIX::strftime("%Y-%m-%dT%H:%M:%S", localtime(time())) }
sub yyyy_mm_dd_hh_mm() { POSIX::strftime("%Y-%m-%dT%H:%M", localtime(time())) }
sub yyyy_mm_dd() { POSIX::strftime("%Y-%m-%d", localtime(time())) }
sub hh_mm_ss() { POSIX::strftime("%H:%M:%S", localtime(time())) }
sub hh_mm() { POSIX::strftime("%H:%M", localtime(time())) }
sub yyyymmddhhmmss() { POSIX::strftime("%Y%m%d%H%M%S", localtime(time())) }
sub yyyymmddhhmm() { POSIX::strftime("%Y%m%d%H%M", localtime(time())) }
sub yyyymmdd() { POSIX::strftime("%Y%m%d", localtime(time())) }
sub hhmmss() { POSIX::strftime("%H%M%S", localtime(time())) }
sub hhmm() { POSIX::strftime("%H%M", localtime(time())) }
sub wgrun_compile {
    my $sub = eval('sub { no strict; no warnings; my $job = shift; ' . $_[0] . "\n}");
    return ($sub, $@);
}

package main;
open(my $in, '<&=', 3) or die "wgrun's perl: fd 3: $!\n";
open(my $out, '>&=', 4) or die "wgrun's perl: fd 4: $!\n";
binmode $in; binmode $out;
sub rd {
    my $n = shift;
    return '' if $n == 0;
    my $buf = '';
    while (length($buf) < $n) {
        my $got = read($in, $buf, $n - length($buf), length($buf));
        POSIX::_exit(0) unless $got;
    }
    return $buf;
}
sub rdn { return unpack('N', rd(4)); }
sub rds { return rd(rdn()); }
sub bytes { my $v = shift; $v = '' unless defined $v; $v = "$v"; utf8::encode($v) if utf8::is_utf8($v); return $v; }
sub reply { my $r = shift; my $off = 0; while ($off < length $r) { my $w = syswrite($out, $r, length($r) - $off, $off); POSIX::_exit(0) unless $w; $off += $w; } }
sub message { my $m = bytes(shift); $m =~ s/\s+\z//; return pack('N', length $m) . $m; }
sub read_job {
    my ($seq, $slot, $total) = unpack('Q>Q>Q>', rd(24));
    my $n = rdn();
    my @args = map { rds() } 1 .. $n;
    return (bless({ 'seq' => $seq, 'slot' => $slot, 'total' => $total }, 'Job'), @args);
}
my @subs;
while (1) {
    my $op = '';
    POSIX::_exit(0) unless read($in, $op, 1);
    if ($op eq 'C') {
        my ($sub, $err) = Arg::wgrun_compile(rds());
        if ($sub) { push @subs, $sub; reply('O' . pack('N', $#subs)); }
        else { reply('E' . message($err)); }
    } elsif ($op eq 'J') {
        my ($job, @args) = read_job();
        my $m = rdn();
        my @calls = map { [unpack('NN', rd(8))] } 1 .. $m;
        $Arg::job = $job;
        @Arg::arg = (undef, @args);
        my $r = '';
        my $died;
        for my $call (@calls) {
            local $_ = $args[$call->[1]];
            $Arg::unquote = 0;
            if (not eval { $subs[$call->[0]]->($job); 1 }) { $died = $@ || "died"; last; }
            my $v = bytes($_);
            $r .= pack('CN', $Arg::unquote ? 1 : 0, length $v) . $v;
        }
        if (defined $died) { reply('D' . message($died)); }
        else { reply('R' . pack('C', $job->{'skip'} ? 1 : 0) . $r); }
    } elsif ($op eq 'F') {
        my ($job, @args) = read_job();
        my $code = rds();
        $Arg::job = $job;
        @Arg::arg = (undef, @args);
        my $true = $job->filter_eval($code);
        reply('R' . pack('C', $true ? 1 : 0));
    } else {
        POSIX::_exit(2);
    }
}
)PERL";

void put_u32(std::string& out, std::uint32_t n) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
}
void put_u64(std::string& out, std::uint64_t n) {
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
}
void put_string(std::string& out, std::string_view s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}
void put_job(std::string& out, const PerlJob& job, std::uint64_t total_jobs) {
    put_u64(out, job.seq);
    put_u64(out, job.slot);
    put_u64(out, total_jobs);
    put_u32(out, static_cast<std::uint32_t>(job.args.size()));
    for (const std::string& arg : job.args) put_string(out, arg);
}

}  // namespace

PerlCoprocess::PerlCoprocess(std::string perl) : program_(std::move(perl)) {}

PerlCoprocess::~PerlCoprocess() {
    if (pid_ == 0) return;
    to_perl_.reset();  // end of file: the loop exits
    from_perl_.reset();
    if (pidfd_) {
        siginfo_t info{};
        while (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
                        WEXITED) < 0 &&
               errno == EINTR) {
        }
    }
}

pid_t PerlCoprocess::pid() const {
    std::lock_guard lock(mutex_);
    return pid_;
}

void PerlCoprocess::start() {
    Pipe requests;
    Pipe replies;
    if (make_pipe(requests) != 0 || make_pipe(replies) != 0) {
        throw PerlError(std::string("cannot start perl: pipe: ") + std::strerror(errno));
    }
    SpawnSetup setup;
    // Our ends are close-on-exec; perl's ends go to 3 and 4 (dup2 clears
    // close-on-exec), everything above is closed.
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, requests.read.get(), 3);
    posix_spawn_file_actions_adddup2(&setup.actions, replies.write.get(), 4);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 5);
    const char* argv[] = {program_.c_str(), "-e", kScript, nullptr};
    pid_t pid = 0;
    const int error = ::posix_spawnp(&pid, program_.c_str(), &setup.actions, &setup.attr,
                                     const_cast<char* const*>(argv), environ);
    if (error != 0) {
        throw PerlError("cannot start " + program_ + " for the Perl expressions: " +
                        std::strerror(error));
    }
    pid_ = pid;
    pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    to_perl_ = std::move(requests.write);
    from_perl_ = std::move(replies.read);
}

void PerlCoprocess::lost(const std::string& what) {
    to_perl_.reset();
    from_perl_.reset();
    throw PerlError("the Perl interpreter (" + program_ + ") " + what);
}

void PerlCoprocess::send(const std::string& request) {
    if (!to_perl_) lost("is gone");
    if (const int error = write_all(to_perl_.get(), request); error != 0) {
        lost(std::string("cannot be written to: ") + std::strerror(error));
    }
}

void PerlCoprocess::read_exact(char* out, std::size_t n) {
    while (buffer_.size() - taken_ < n) {
        if (taken_ > 0) {
            buffer_.erase(0, taken_);
            taken_ = 0;
        }
        if (!from_perl_) lost("is gone");
        char chunk[65536];
        const ssize_t got = ::read(from_perl_.get(), chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) lost(got == 0 ? "ended" : std::string("cannot be read: ") + std::strerror(errno));
        buffer_.append(chunk, static_cast<std::size_t>(got));
    }
    std::memcpy(out, buffer_.data() + taken_, n);
    taken_ += n;
}

std::uint32_t PerlCoprocess::read_u32() {
    unsigned char b[4];
    read_exact(reinterpret_cast<char*>(b), 4);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
}

std::string PerlCoprocess::read_string() {
    std::string s(read_u32(), '\0');
    if (!s.empty()) read_exact(s.data(), s.size());
    return s;
}

std::size_t PerlCoprocess::compile(std::string_view code) {
    std::lock_guard lock(mutex_);
    if (const auto it = compiled_.find(code); it != compiled_.end()) return it->second;
    if (pid_ == 0) start();
    std::string request = "C";
    put_string(request, code);
    send(request);
    char status = 0;
    read_exact(&status, 1);
    if (status == 'E') throw PerlError(read_string());
    if (status != 'O') lost("answered out of turn");
    const std::size_t id = read_u32();
    compiled_.emplace(std::string(code), id);
    return id;
}

void PerlCoprocess::set_total_jobs(std::uint64_t jobs) {
    std::lock_guard lock(mutex_);
    total_jobs_ = jobs;
}

PerlResults PerlCoprocess::evaluate(const PerlJob& job, std::span<const PerlCall> calls) {
    std::lock_guard lock(mutex_);
    if (pid_ == 0) lost("was never started");
    std::string request = "J";
    put_job(request, job, total_jobs_);
    put_u32(request, static_cast<std::uint32_t>(calls.size()));
    for (const PerlCall& call : calls) {
        put_u32(request, static_cast<std::uint32_t>(call.expr));
        put_u32(request, static_cast<std::uint32_t>(call.arg));
    }
    send(request);
    char status = 0;
    read_exact(&status, 1);
    if (status == 'D') throw PerlError("a Perl expression died: " + read_string());
    if (status != 'R') lost("answered out of turn");
    PerlResults results;
    char skip = 0;
    read_exact(&skip, 1);
    results.skip = skip != 0;
    results.values.resize(calls.size());
    for (PerlValue& value : results.values) {
        char unquoted = 0;
        read_exact(&unquoted, 1);
        value.unquoted = unquoted != 0;
        value.text = read_string();
    }
    return results;
}

bool PerlCoprocess::filter(const PerlJob& job, std::string_view code) {
    std::lock_guard lock(mutex_);
    if (pid_ == 0) start();
    std::string request = "F";
    put_job(request, job, total_jobs_);
    put_string(request, code);
    send(request);
    char status = 0;
    read_exact(&status, 1);
    if (status != 'R') lost("answered out of turn");
    char truth = 0;
    read_exact(&truth, 1);
    return truth != 0;
}

}  // namespace wgrun
