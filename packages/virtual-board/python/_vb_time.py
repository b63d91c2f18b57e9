# The board's time module: sleeps wait without burning a core and wake on Ctrl-C;
# machine.Timer callbacks run while the board sleeps.
import time as _time
import _board

for _name in dir(_time):
    if not _name.startswith('__'):
        globals()[_name] = getattr(_time, _name)
del _name


def sleep_ms(ms):
    import machine
    machine._sleep_running_timers(ms)


def sleep(seconds):
    sleep_ms(seconds * 1000)


def sleep_us(us):
    sleep_ms(us / 1000)


def ticks_us():
    # The build derives microseconds from its millisecond clock; boards count real µs.
    return _board.ticks_us()


ticks_cpu = ticks_us
