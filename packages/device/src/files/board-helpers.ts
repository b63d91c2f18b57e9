/**
 * The board side of the file operations: Python installed once per board session as the
 * global `_ide49f` (a soft reset removes it; `BoardFiles` reinstalls it on the NameError).
 * Keeping it resident means each operation sends one short call, not its code.
 *
 * Conventions shared with the host side (board-files.ts, escaped-stream.ts):
 * - writes go to `.NAME.ide49-tmp` in the target's folder; `c(sha)` renames it into place
 *   only when the sha256 of what is on the flash matches, and checks the rename happened;
 * - big files on links with flow control may instead stream raw bytes through stdin
 *   (`recv`), paced by credit bytes (0x01) the board prints;
 * - results come back as one JSON line; file contents come back as raw bytes with 0x1b
 *   escaping 0x1b, 0x04 (the raw REPL's end-of-output byte), LF and CR (some boards turn
 *   LF into CR LF on the way out), then 0x1b 'E' and a
 *   trailer "<sha256 hex> <size>".
 */
export const HELPER_NAME = '_ide49f';
export const TEMP_SUFFIX = '.ide49-tmp';

const READABLE_HELPER_SOURCE = `
def _ide49_make():
    import os, sys, hashlib, json
    TMP = '${TEMP_SUFFIX}'
    buf = bytearray(1024)
    state = {}

    def isdir(p):
        try:
            return os.stat(p)[0] & 0x4000 != 0
        except OSError:
            return None

    def join(d, n):
        return d + n if d.endswith('/') else d + '/' + n

    def mkdirs(p):
        q = ''
        for part in p.split('/'):
            if part:
                q += '/' + part
                if isdir(q) is None:
                    os.mkdir(q)

    def tmpname(p):
        i = p.rfind('/')
        return p[:i + 1] + '.' + p[i + 1:] + TMP

    def sha(p):
        h = hashlib.sha256()
        mv = memoryview(buf)
        with open(p, 'rb') as f:
            while True:
                k = f.readinto(buf)
                if not k:
                    break
                h.update(mv[:k])
        return ''.join('%02x' % x for x in h.digest())

    def drop():
        # a write that was stopped or failed leaves its temp file open: close it before that
        # file is removed or opened again (FAT must not see an open file removed)
        f = state.pop('f', None)
        state.pop('p', None)
        if f:
            f.close()

    def walk(root, rel, seen, stale, clean):
        # seen(rel, full, isdir) for every entry (nothing is listed in RAM); stale temp
        # files go to stale (removed when clean)
        drop()
        for e in os.ilistdir(root):
            n, full = e[0], join(root, e[0])
            r = rel + '/' + n if rel else n
            if e[1] & 0x4000:
                seen(r, full, True)
                walk(full, r, seen, stale, clean)
            elif n.startswith('.') and n.endswith(TMP):
                if clean:
                    os.remove(full)
                stale.append(r)
            else:
                seen(r, full, False)

    def ls(root, recursive):
        d = isdir(root)
        if d is None:
            raise OSError(2, 'no such file or folder: ' + root)
        out = [('', root, False)]
        if d and recursive:
            out = []
            walk(root, '', lambda r, f, dr: out.append((r, f, dr)), [], False)
        elif d:
            out = [(e[0], join(root, e[0]), e[1] & 0x4000 != 0) for e in os.ilistdir(root)]
        print(json.dumps([[r, 0 if dr else os.stat(f)[6], dr] for r, f, dr in out]))

    def want(part, first):
        # a big tree's wanted hashes come in several execs before diff
        if first:
            state['w'] = {}
        state['w'].update(part)

    def diff(root, want, n, clean, more):
        # want: {rel: sha256 hex prefix of length n, or '' for a folder}, with what want()
        # collected when more; answers: d differing content, k file/folder kind differs,
        # m missing, x board only, t stale temp files (removed when clean)
        if more:
            state['w'].update(want)
            want = state.pop('w')
        stale, differ, kind, extra = [], [], [], []

        def seen(r, f, dr):
            h = want.pop(r, None)
            if h is None:
                extra.append([r, dr])
            elif dr != (h == ''):
                kind.append(r)
            elif not dr and sha(f)[:n] != h:
                differ.append(r)
        if isdir(root):
            walk(root, '', seen, stale, clean)
        print(json.dumps({'d': differ, 'k': kind, 'm': list(want), 'x': extra, 't': stale}))

    def cleanup(root):
        stale = []
        if isdir(root):
            walk(root, '', lambda r, f, dr: None, stale, True)
        print(json.dumps(stale))

    def o(p):
        drop()
        mkdirs(p[:p.rfind('/')])
        state['p'] = p
        state['f'] = open(tmpname(p), 'wb')

    def w(b):
        state['f'].write(b)

    def wz(b):
        import deflate, io
        z = deflate.DeflateIO(io.BytesIO(b), deflate.ZLIB)
        mv = memoryview(buf)
        while True:
            k = z.readinto(buf)
            if not k:
                break
            state['f'].write(mv[:k])

    def take(inp, b, k, poller):
        # exactly k bytes from stdin; a host gone silent for 10 s ends the wait (on boards
        # whose stdin can be polled) instead of leaving the board deaf to Ctrl-C
        mv = memoryview(b)[:k]
        got = 0
        while got < k:
            if not poller.poll(10000):
                raise OSError(110, 'the host stopped sending file data')
            got += inp.readinto(mv[got:])
        return mv

    def recv(p, n, blk):
        # n bytes of content from stdin as records: kind (0 raw, 1 zlib), u16 payload
        # length, u16 content length, payload (at most blk bytes); one 0x01 of credit per
        # record read (two up front), so the host never sends more than the board has room for
        import micropython, select
        o(p)
        b = bytearray(max(blk, 5))
        out, inp = sys.stdout.buffer, sys.stdin.buffer
        poller = select.poll()
        poller.register(sys.stdin, select.POLLIN)
        micropython.kbd_intr(-1)
        credited = 2
        try:
            out.write(b'\\x01\\x01')
            while n > 0:
                head = take(inp, b, 5, poller)
                kind, k = head[0], head[1] | head[2] << 8
                n -= head[3] | head[4] << 8
                credited -= 1
                payload = take(inp, b, k, poller)
                if kind:
                    wz(bytes(payload))
                else:
                    state['f'].write(payload)
                out.write(b'\\x01')
                credited += 1
        except Exception:
            # read the records the host may still send, so none reach the REPL as code
            for _ in range(min(credited, (n + blk - 1) // blk)):
                head = take(inp, b, 5, poller)
                take(inp, b, head[1] | head[2] << 8, poller)
            raise
        finally:
            micropython.kbd_intr(3)

    def c(expected):
        p = state.pop('p')
        state.pop('f').close()
        t = tmpname(p)
        got = sha(t)
        if got != expected:
            os.remove(t)
            raise ValueError('written file does not match (sha256 %s, expected %s): %s' % (got, expected, p))
        if isdir(p):
            raise OSError(21, 'a folder is in the way: ' + p)
        size = os.stat(t)[6]
        try:
            os.rename(t, p)
        except OSError as e:
            # FAT will not rename onto an existing file; any other error keeps the old file
            if e.args[0] != 17 or isdir(p) is None:
                raise
            os.remove(p)
            os.rename(t, p)
        if isdir(t) is not None:
            # some filesystems ignore a rename onto an existing file
            os.remove(p)
            os.rename(t, p)
        if isdir(t) is not None or os.stat(p)[6] != size:
            raise OSError(5, 'renaming %s into place did not take effect' % t)

    def r(p, size):
        h = hashlib.sha256()
        n = 0
        out = sys.stdout.buffer
        with open(p, 'rb') as f:
            while True:
                b = f.read(size)
                if not b:
                    break
                h.update(b)
                n += len(b)
                out.write(b.replace(b'\\x1b', b'\\x1b\\x1b').replace(b'\\x04', b'\\x1bD').replace(b'\\n', b'\\x1bn').replace(b'\\r', b'\\x1br'))
        out.write(b'\\x1bE')
        out.write(('%s %d' % (''.join('%02x' % x for x in h.digest()), n)).encode())

    def rm(p, recursive):
        drop()
        d = isdir(p)
        if d is None:
            raise OSError(2, 'no such file or folder: ' + p)
        if d and not recursive:
            raise OSError(21, 'is a folder (remove it with -r): ' + p)
        if d:
            for e in os.ilistdir(p):
                rm(join(p, e[0]), True)
            if p != '/':
                os.rmdir(p)
        else:
            os.remove(p)

    def rm_all(root, rels):
        # deepest first, so folders are empty when their turn comes
        for r in sorted(rels, key=lambda r: -r.count('/')):
            if isdir(join(root, r)) is not None:
                rm(join(root, r), True)

    def mkdir_all(root, rels):
        for r in rels:
            mkdirs(join(root, r))

    def st(p):
        d = isdir(p)
        print(json.dumps(None if d is None else [d, 0 if d else os.stat(p)[6]]))

    def info():
        try:
            import deflate
            z = hasattr(deflate, 'DeflateIO')
        except ImportError:
            z = False
        print(json.dumps({'path': sys.path, 'mpy': getattr(sys.implementation, '_mpy', 0), 'deflate': z}))

    class Helpers:
        pass
    h = Helpers()
    for name, fn in (('ls', ls), ('want', want), ('diff', diff), ('cleanup', cleanup), ('o', o), ('w', w), ('wz', wz),
                     ('c', c), ('recv', recv), ('r', r), ('rm', rm), ('rm_all', rm_all), ('mkdir_all', mkdir_all), ('st', st), ('info', info)):
        setattr(h, name, fn)
    return h

${HELPER_NAME} = _ide49_make()
del _ide49_make
`;

/**
 * What is sent: the helpers without comments, blank lines and three of every four
 * indentation spaces (a third less to send on a slow link, once per session).
 */
export const HELPER_SOURCE = READABLE_HELPER_SOURCE.split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
  .map((line) => {
    const indent = line.length - line.trimStart().length;
    return ' '.repeat(Math.ceil(indent / 4)) + line.trimStart();
  })
  .join('\n');
