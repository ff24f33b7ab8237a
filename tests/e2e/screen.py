#!/usr/bin/python3
"""screen.py [--draws | --cols N]: reads a typescript on stdin.
By default prints what a terminal of N columns (80) would show once it is
all written, line by line: \\r returns to the line start, ESC[K erases to
the end of the line, \\n goes to the next line, a full line wraps, other
escape sequences (colours) are dropped.
--draws: prints the progress lines drawn mid-run, one a line: the text
after an ESC[K that the next ESC[K erases, or that ends the typescript (a
newline may follow: a cut typescript's last draw).
Job output after the display's clear goes on to a newline instead, and the
final line too."""
import re
import sys

data = sys.stdin.buffer.read().decode("utf-8", "replace")
args = sys.argv[1:]

if args[:1] == ["--draws"]:
    for text in re.findall(r"\x1b\[K([^\r\n\x1b]+)(?=\r\x1b\[K|\n?\Z)", data):
        print(text)
    sys.exit(0)

cols = int(args[1]) if args[:1] == ["--cols"] else 80
lines, line, col = [], [], 0
i = 0
while i < len(data):
    c = data[i]
    if c == "\x1b":
        m = re.match(r"\x1b\[([0-9;?]*)([A-Za-z])", data[i:])
        if m:
            if m.group(2) == "K":
                del line[col:]
            i += len(m.group(0))
            continue
    elif c == "\r":
        col = 0
    elif c == "\n":
        lines.append("".join(line))
        line, col = [], 0
    else:
        if col >= cols:  # wraps: the line is full
            lines.append("".join(line))
            line, col = [], 0
        if col < len(line):
            line[col] = c
        else:
            line.append(c)
        col += 1
    i += 1
if line:
    lines.append("".join(line))
for text in lines:
    print(text)
