"""The fixed program that runs inside a submission's sandbox (its source is ``DRIVER``).

It is started by ``gdteach._grading.sandbox`` as ``python -s -B -c DRIVER LIMITS…`` and talks
to the grader only through its standard input and output, two pipes the grader created for
this submission alone. It only *computes*: it never judges.

Before any submission code runs, it lowers its own resource limits (memory, processes, file
size, open files, CPU time; a lowered hard limit cannot be raised again), points file
descriptors 0–2 at ``/dev/null`` and blocks ``import gdteach`` with a message.

Requests, from the grader (a header line, then exactly ``length`` bytes)::

    parse <length>\\n<notebook bytes>      read a notebook's cells (before any code runs)
    run <length>\\n<UTF-8 source>          run a cell; what it prints is sent as it is printed
    prelude <length>\\n<UTF-8 source>      the grader's own helpers, run before any submission
                                          code, in a namespace of their own
    screen <length>\\n<JSON list of sources> the answer cells, before any of them runs: each
                                          through ``prepare(source)`` from the prelude
                                          (IPython syntax made plain Python; None when it
                                          uses gdteach); reply ``screened`` (payload1: "1"
                                          or "0" per cell, uses gdteach or not; payload2:
                                          the JSON list of the plain sources, "" for a "1"),
                                          which the grader then sends back as ``run``

Replies, to the grader (a header line, then the two payloads)::

    <token> <seq> <status> <length1> <length2>\\n<payload1><payload2>

While a cell runs, what it writes to ``sys.stdout`` or ``sys.stderr`` (its first 1 MB) is sent
as ``out`` replies (payload1: the text) in pieces of up to 64 kB, on every ``flush()`` and
when the cell ends, so what was flushed before a time-out can still be read. Then ``status`` is ``ok``, ``error`` (payload2: the exception, ``Name: message``), ``exit``
(``SystemExit``), ``screened`` (see ``screen``), ``cells`` (payload1: the cells, see ``encode_cells``) or, for ``parse``,
``notutf8``, ``notjson``, ``nbformat3``, ``nocells`` or ``toobig``. The sandbox is untrusted once submission code has
run: the grader checks every reply strictly (``sandbox.Session``) and treats anything else
as a broken channel. Student text (an answer cell) is only ever transformed or parsed here,
under the sandbox's limits and the cell's time limit, never by the grader. Nothing here uses ``json``, ``print`` or ``sys.stdout`` after
submission code has run, so replacing them only changes what that code itself prints.
"""

DRIVER = r'''
import os, sys, resource

def _main():
    memory, processes, file_size, cpu, token = sys.argv[1:6]
    for name, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_NPROC, processes),
                        (resource.RLIMIT_FSIZE, file_size), (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_NOFILE, "256"), (resource.RLIMIT_CORE, "0")):
        resource.setrlimit(name, (int(value), int(value)))
    read_fd, write_fd = os.dup(0), os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    if "" in sys.path:
        sys.path.remove("")
    read, write, exc_info, exit_ = os.read, os.write, sys.exc_info, os._exit
    str_, int_, len_, min_, exec_, compile_ = str, int, len, min, exec, compile
    join = b"".join
    LIMIT = 1 << 20

    class _Blocked:
        def find_spec(self, name, path=None, target=None):
            if name == "gdteach" or name.startswith("gdteach."):
                raise ImportError("gdteach is not available while grading: write the code yourself")
            return None
    sys.meta_path.insert(0, _Blocked())

    class _Shell:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None
    import builtins
    shell = _Shell()
    builtins.get_ipython = lambda: shell
    builtins.display = lambda *args, **kwargs: None

    class Capture:
        # sent in pieces of up to 64 kB, on flush() and when the cell ends: few frames for
        # the grader to read however the cell prints (the probes flush after every reply)
        def __init__(self):
            self.size, self.parts, self.pending = 0, [], 0
        def write(self, text):
            if str_.__class__.__instancecheck__(str_, text) and text and self.size < LIMIT:
                part = text[: LIMIT - self.size]
                self.size += len_(part)
                self.parts.append(part)
                self.pending += len_(part)
                if self.pending >= 1 << 16:
                    self.flush()
            return len_(text)
        def flush(self):
            if self.parts:
                text = "".join(self.parts)
                self.parts, self.pending = [], 0
                reply("out", text.encode("utf-8", "replace"))
        def isatty(self):
            return False
        def writable(self):
            return True

    def exactly(count):
        chunks = []
        while count > 0:
            chunk = read(read_fd, min_(count, 1 << 16))
            if not chunk:
                exit_(0)
            chunks.append(chunk)
            count -= len_(chunk)
        return join(chunks)

    def header():
        line = b""
        while not line.endswith(b"\n"):
            byte = read(read_fd, 1)
            if not byte or len_(line) > 64:
                exit_(0)
            line += byte
        return line.split()

    seq = 0
    def reply(status, one=b"", two=b""):
        data = (token + " " + str_(seq) + " " + status + " " + str_(len_(one)) + " "
                + str_(len_(two)) + "\n").encode() + one + two
        while data:
            data = data[write(write_fd, data):]

    def parse(data):
        import json
        try:
            nb = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:  # a ValueError too: named first
            return reply("notutf8")
        except MemoryError:
            return reply("toobig")
        except (ValueError, RecursionError):
            return reply("notjson")
        if isinstance(nb, dict) and nb.get("nbformat") == 3 and isinstance(nb.get("worksheets"), list):
            return reply("nbformat3")
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            return reply("nocells")
        out = []
        graded = 0
        for cell in nb["cells"]:
            if not isinstance(cell, dict):
                continue
            meta = cell.get("metadata")
            meta = meta.get("nbgrader") if isinstance(meta, dict) else None
            if not isinstance(meta, dict) or not isinstance(meta.get("grade_id"), str):
                continue  # the grader reads only cells with a grade_id
            graded += 1
            if graded > 2000:  # two million empty cells cost the grader 7 s to read back
                return reply("toomany")
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(part for part in source if isinstance(part, str))
            grade_id = meta["grade_id"]
            kind = cell.get("cell_type")
            for text in (kind if isinstance(kind, str) else "",
                         grade_id,
                         source if isinstance(source, str) else ""):
                raw = text.encode("utf-8", "replace")
                out.append(str(len(raw)).encode() + b"\n" + raw)
        reply("cells", b"".join(out))

    namespace = {"__name__": "__main__", "__builtins__": builtins}
    helpers = {"__name__": "_gdteach_prelude", "__builtins__": builtins}
    while True:
        words = header()
        if len_(words) != 2:
            exit_(0)
        payload = exactly(int_(words[1]))
        if words[0] == b"parse":
            parse(payload)
        elif words[0] == b"prelude":
            try:
                exec_(compile_(payload.decode("utf-8"), "<prelude>", "exec"), helpers)
                reply("ok")
            except BaseException:
                reply("error")
        elif words[0] == b"screen":
            # before any student code runs: which answer cells use gdteach ("1") or not ("0"),
            # so that no later code can change the verdict (it could spell hidden inputs)
            import json
            marks, plain = [], []
            for text in json.loads(payload.decode("utf-8", "surrogatepass")):
                try:
                    prepared = helpers["prepare"](text)
                except BaseException:
                    prepared = text  # run the cell as it is
                marks.append("1" if prepared is None else "0")
                plain.append("" if prepared is None else prepared)
            reply("screened", "".join(marks).encode(), json.dumps(plain).encode())
        elif words[0] == b"run":
            source = payload.decode("utf-8", "replace")
            capture = Capture()
            sys.stdout = sys.stderr = capture
            status, error = "ok", ""
            try:
                exec_(compile_(source, "<cell>", "exec"), namespace)
            except SystemExit:
                status = "exit"
            except BaseException:
                status = "error"
                try:
                    err = exc_info()[1]
                    error = err.__class__.__name__ + ": " + str_(err)
                except BaseException:
                    error = "an exception"
            sys.stdout = sys.stderr = None
            try:
                capture.flush()
            except BaseException:
                pass
            reply(status, b"", error[:1000].encode("utf-8", "replace"))
        else:
            exit_(0)
        seq += 1

_main()
'''
