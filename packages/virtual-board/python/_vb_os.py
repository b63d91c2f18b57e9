# The board's os module: the WebAssembly build's own, plus what a board's has and the
# build lacks (ilistdir sizes, statvfs of the flash, uname).
import os as _os
import _board

for _name in dir(_os):
    if not _name.startswith('__'):
        globals()[_name] = getattr(_os, _name)
del _name

_S_IFDIR = 0x4000


def ilistdir(path='.'):
    prefix = path if path.endswith('/') else path + '/'
    for entry in _os.ilistdir(path):
        size = 0 if entry[1] == _S_IFDIR else _os.stat(prefix + entry[0])[6]
        yield (entry[0], entry[1], entry[2], size)


def statvfs(path='/'):
    _os.stat(path)
    return tuple(int(n) for n in _board.statvfs().split(','))


class _UnameResult(tuple):
    sysname = property(lambda self: self[0])
    nodename = property(lambda self: self[1])
    release = property(lambda self: self[2])
    version = property(lambda self: self[3])
    machine = property(lambda self: self[4])


def uname():
    return _UnameResult(_board.uname().split('\x00'))
