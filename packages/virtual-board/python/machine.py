# machine for the virtual board: identity, resets, clock, RTC, and Pin/Timer objects
# that behave like a board's with nothing wired to them.
import _board

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5

_freq = 160_000_000


def unique_id():
    return bytes.fromhex(_board.unique_id())


def reset():
    _board.hard_reset()


def soft_reset():
    raise SystemExit


def reset_cause():
    return _board.reset_cause()


def freq(hz=None):
    global _freq
    if hz is None:
        return _freq
    _freq = hz


def idle():
    _sleep_running_timers(1)


def lightsleep(ms=None):
    _sleep_running_timers(ms if ms is not None else 1 << 30)


def deepsleep(ms=None):
    _sleep_running_timers(ms if ms is not None else 1 << 30)
    _board.hard_reset()


def disable_irq():
    return 0


def enable_irq(state=0):
    pass


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = 1
    IRQ_RISING = 2

    def __init__(self, id, mode=-1, pull=-1, value=None):
        self._id = id
        self._value = 0
        self._mode = Pin.IN
        self._pull = None
        self._handler = None
        self._trigger = 0
        self.init(mode, pull, value)

    def init(self, mode=-1, pull=-1, value=None):
        if mode != -1:
            self._mode = mode
        if pull != -1:
            self._pull = pull
            if self._mode == Pin.IN:
                self._value = 1 if pull == Pin.PULL_UP else 0
        if value is not None:
            self.value(value)

    def value(self, x=None):
        if x is None:
            return self._value
        new = 1 if x else 0
        old, self._value = self._value, new
        edge = Pin.IRQ_RISING if new > old else Pin.IRQ_FALLING if new < old else 0
        if self._handler and edge & self._trigger:
            self._handler(self)

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def toggle(self):
        self.value(1 - self._value)

    def irq(self, handler=None, trigger=IRQ_FALLING | IRQ_RISING):
        self._handler = handler
        self._trigger = trigger

    def __repr__(self):
        return 'Pin(%r, mode=%s)' % (self._id, ('IN', 'OUT', 'OPEN_DRAIN')[self._mode])


_timers = []


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, **kwargs):
        self._id = id
        self._callback = None
        if kwargs:
            self.init(**kwargs)

    def init(self, mode=PERIODIC, period=-1, freq=-1, callback=None):
        import time
        self._mode = mode
        self._period = period if period >= 0 else (1000 // freq if freq > 0 else 1000)
        self._callback = callback
        self._due = time.ticks_add(time.ticks_ms(), self._period)
        if self not in _timers:
            _timers.append(self)

    def deinit(self):
        if self in _timers:
            _timers.remove(self)

    def _fire(self):
        import time
        if self._mode == Timer.PERIODIC:
            self._due = time.ticks_add(self._due, self._period)
        else:
            self.deinit()
        if self._callback:
            self._callback(self)


def _sleep_running_timers(ms):
    # Timer callbacks run from here (sleep, idle): there is no hardware interrupt.
    if not _timers:
        _board.sleep_ms(ms)
        return
    import time
    deadline = time.ticks_add(time.ticks_ms(), int(ms))
    while True:
        now = time.ticks_ms()
        for t in [t for t in _timers if time.ticks_diff(t._due, now) <= 0]:
            t._fire()
        left = time.ticks_diff(deadline, time.ticks_ms())
        if left <= 0:
            return
        for t in _timers:
            left = min(left, time.ticks_diff(t._due, time.ticks_ms()))
        _board.sleep_ms(max(left, 0))


class RTC:
    def __init__(self, id=0):
        pass

    def datetime(self, datetimetuple=None):
        # The clock behind time.time(); setting it moves time.time() too, as on a board.
        import time
        if datetimetuple is None:
            now_ms = time.time_ns() // 1_000_000
            t = time.gmtime(now_ms // 1000)
            return (t[0], t[1], t[2], t[6], t[3], t[4], t[5], now_ms % 1000)
        year, month, day, _weekday, hours, minutes, seconds = datetimetuple[:7]
        subseconds = datetimetuple[7] if len(datetimetuple) > 7 else 0
        target_ms = time.mktime((year, month, day, hours, minutes, seconds, 0, 0)) * 1000 + subseconds
        _board.set_time_ms(str(target_ms))

    def init(self, datetimetuple):
        self.datetime(datetimetuple)
