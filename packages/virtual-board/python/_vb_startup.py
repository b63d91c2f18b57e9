# Run by the virtual board after every reset, before boot.py: installs the board
# support modules in place of the WebAssembly build's own os, time and input().
import sys

# The virtual board inserted '/.board' (its support folder) at the front of sys.path.
try:
    import _vb_os, _vb_time, _vb_input, machine
finally:
    sys.path.pop(0)

sys.modules['os'] = sys.modules['uos'] = _vb_os
sys.modules['time'] = sys.modules['utime'] = _vb_time
sys.modules['umachine'] = machine
# The build freezes a pure-Python binascii (slow, str unsupported) over its C module;
# boards have the C one.
import ubinascii
sys.modules['binascii'] = ubinascii
del ubinascii
_vb_input.install()
del _vb_os, _vb_time, _vb_input, machine


def run_script(name):
    # Like pyexec_file_if_exists() in a board's main.c: run in __main__, report errors, go on.
    import __main__
    try:
        with open(name) as f:
            source = f.read()
    except OSError:
        return
    # Ctrl-C interrupts the script (as pyexec sets it), unless the script turns it off
    # with micropython.kbd_intr(-1), e.g. to read binary data from stdin.
    import micropython
    micropython.kbd_intr(3)
    try:
        exec(compile(source, name, 'exec'), __main__.__dict__)
    except SystemExit:
        pass
    except BaseException as e:
        sys.print_exception(e)
    finally:
        micropython.kbd_intr(-1)
