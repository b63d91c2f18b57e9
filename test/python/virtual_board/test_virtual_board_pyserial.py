"""A serial client (Debian's pyserial) drives the virtual board on its pty the way
tools drive real boards: raw REPL, a binary file written and read back, soft reset."""
import base64
import os
import time

import serial

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"


class BoardPort:
    """A serial port with a read buffer, so a read never swallows bytes past its marker."""

    def __init__(self, path):
        self.serial = serial.Serial(str(path), 115200, timeout=0.2)
        self.buffer = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.serial.close()

    def write(self, data):
        self.serial.write(data)

    def read_until(self, marker, timeout=10):
        deadline = time.monotonic() + timeout
        while marker not in self.buffer:
            assert time.monotonic() < deadline, f"board did not send {marker!r}; got {self.buffer[-200:]!r}"
            self.buffer += self.serial.read(self.serial.in_waiting or 1)
        end = self.buffer.index(marker) + len(marker)
        taken, self.buffer = self.buffer[:end], self.buffer[end:]
        return taken

    def enter_raw_repl(self):
        self.write(b"\r\x03\x03")
        time.sleep(0.1)
        self.serial.reset_input_buffer()
        self.buffer = b""
        self.write(b"\x01")
        self.read_until(RAW_BANNER)

    def exec_raw(self, code):
        self.write(code.encode() + b"\x04")
        assert self.read_until(b"OK") == b"OK"
        out = self.read_until(b"\x04")[:-1]
        err = self.read_until(b"\x04>")[:-2]
        return out, err


def open_port(board):
    return BoardPort(board.port)


def test_exec_through_the_pty(pty_board):
    with open_port(pty_board) as port:
        port.enter_raw_repl()
        assert port.exec_raw("print(6 * 7)") == (b"42\r\n", b"")
        out, err = port.exec_raw("1/0")
        assert out == b"" and err.endswith(b"ZeroDivisionError: divide by zero\r\n")


def test_binary_file_round_trip_and_soft_reset(pty_board):
    payload = os.urandom(64 * 1024)
    with open_port(pty_board) as port:
        port.enter_raw_repl()
        port.exec_raw("import binascii\nf = open('blob.bin', 'wb')")
        for offset in range(0, len(payload), 1024):
            chunk = base64.b64encode(payload[offset:offset + 1024]).decode()
            assert port.exec_raw(f"f.write(binascii.a2b_base64('{chunk}'))") == (b"", b"")
        assert port.exec_raw("f.close()") == (b"", b"")
        assert (pty_board.flash / "blob.bin").read_bytes() == payload

        read_back = b""
        for offset in range(0, len(payload), 4096):
            out, err = port.exec_raw(
                f"f = open('blob.bin', 'rb'); f.seek({offset}); print(binascii.b2a_base64(f.read(4096)).decode(), end=''); f.close()",
            )
            assert err == b""
            read_back += base64.b64decode(out)
        assert read_back == payload

        port.write(b"\x04")
        assert port.read_until(RAW_BANNER).endswith(b"OK\r\nMPY: soft reboot\r\n" + RAW_BANNER)
        out, err = port.exec_raw("import os\nprint(os.stat('blob.bin')[6])")
        assert (out, err) == (b"65536\r\n", b"")


def test_a_second_client_finds_the_board_running(pty_board):
    with open_port(pty_board) as port:
        port.enter_raw_repl()
        port.exec_raw("x = 'still here'")
    with open_port(pty_board) as port:
        port.write(b"print(x)\x04")
        assert port.read_until(b"\x04>").endswith(b"OKstill here\r\n\x04\x04>")
