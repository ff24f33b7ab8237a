#!/usr/bin/python3
"""pty_run.py [--cols N] [--rows N] -- COMMAND...: runs COMMAND with its
stdin, stdout and stderr on a new pseudo-terminal of that size (its
controlling terminal), copies everything written to the terminal to our
stdout as it comes (the typescript, with the terminal's \\r\\n for \\n), and
exits with COMMAND's exit status (128 + N for a signal). A redirection inside
COMMAND (bash -c '... 2>file') takes that stream off the terminal."""
import fcntl
import os
import pty
import struct
import sys
import termios


def main():
    args = sys.argv[1:]
    cols, rows = 80, 24
    while args and args[0] != "--":
        if args[0] == "--cols":
            cols = int(args[1])
        elif args[0] == "--rows":
            rows = int(args[1])
        else:
            sys.exit("pty_run.py: unknown option " + args[0])
        args = args[2:]
    command = args[1:]
    if not command:
        sys.exit("usage: pty_run.py [--cols N] [--rows N] -- COMMAND...")
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    out = sys.stdout.buffer
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        out.write(chunk)
        out.flush()
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


main()
