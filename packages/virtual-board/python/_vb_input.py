# input() reading the link with a board's line editing (echo, backspace, Enter as
# CR, LF or CR LF; Ctrl-C raises KeyboardInterrupt; Ctrl-D on an empty line EOFError).
import builtins
import sys

_last_newline = None


def _newline(c):
    # A CR LF (or LF CR) pair ends one line, as the board's readline does.
    global _last_newline
    if c in b'\r\n' and (_last_newline is None or _last_newline == c):
        _last_newline = c
        return True
    _last_newline = None
    return False


def input(prompt=''):
    out = sys.stdout.buffer
    if prompt:
        sys.stdout.write(prompt)
    line = bytearray()
    while True:
        c = sys.stdin.buffer.read(1)
        if not c:
            continue  # a Ctrl-C was received: the KeyboardInterrupt is raised now
        if _newline(c):
            out.write(b'\r\n')
            return line.decode()
        if c == b'\x04' and not line:
            raise EOFError
        if c in b'\x08\x7f':
            if line:
                line = line[:-1]
                out.write(b'\x08 \x08')
        elif c >= b' ':
            line += c
            out.write(c)


def install():
    builtins.input = input
