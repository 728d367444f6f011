"""Each submission runs in its own sandbox: bubblewrap, Linux namespaces, hard limits.

``Session(settings)`` starts the fixed program ``driver.DRIVER`` in a sandbox made by
``bwrap`` (Debian's ``bubblewrap``; no daemon, no Docker):

- new user, PID, network, mount, IPC and UTS namespaces: no network at all (only a loopback
  of its own), no other process visible, no way to signal the grader or another sandbox;
- a read-only root holding only the Python interpreter, its standard library, numpy, and
  the system libraries they load (``find_runtime``): no gdteach on disk, no site-packages,
  no source notebook, no other submission, no home directory; a private ``/tmp`` of
  ``tmp_mb`` MB; a clean environment; further user namespaces disabled;
- run as root, the grader runs ``bwrap`` as an unprivileged user (``gdteach-sandbox`` if it
  exists, else ``nobody``), so the sandbox is never root outside;
- limits: memory (address space), processes, file size, open files and CPU time, set by the
  driver before any submission code runs; the output read back (``output_mb``); a time
  limit per request and a total wall time, enforced here;
- the sandbox is killed when the session ends, whatever happened: its PID namespace dies
  with it, so no process outlives the submission.

``settings.sandbox == "none"`` (``--no-sandbox``) runs the same driver as a plain
subprocess with the same limits and a clean environment, but without namespaces: the
submission then runs as the grader's user, can read what that user can read, and reach the
network. ``problem()`` says why ``bwrap`` cannot be used here (``None`` when it can).
"""

from __future__ import annotations

import functools
import os
import pwd
import re
import secrets
import selectors
import shutil
import signal
import stat
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .driver import DRIVER
from .problems import Code

__all__ = ["Runtime", "Session", "SandboxStop", "SandboxUnavailable", "find_runtime", "problem",
           "bwrap_command", "SANDBOX_USER"]

#: The unprivileged user a sandbox runs as when the grader is root (``nobody`` if absent).
SANDBOX_USER = "gdteach-sandbox"
#: The most reply frames read from one sandbox (the driver batches what a cell prints).
MAX_FRAMES = 100_000
#: Where the runtime appears inside the sandbox.
INSIDE = "/python"


class SandboxUnavailable(RuntimeError):
    """Namespaces (bubblewrap) cannot be used on this machine; the message says why."""


class SandboxStop(Exception):
    """The session ended before the request was answered; the message says why, ``code``
    (a ``problems.Code``) what kind of stop it was, and ``out`` holds what the request
    printed until then."""

    out = ""

    def __init__(self, message: str, code: Code = Code.KERNEL_DIED) -> None:
        super().__init__(message)
        self.code = Code(code)


@dataclass(frozen=True)
class Reply:
    """A request's answer: ``status``, what the code printed, and the exception text."""

    status: str
    out: str
    error: str


# --------------------------------------------------------------------------- the runtime


@dataclass(frozen=True)
class Runtime:
    """Host paths the sandbox's read-only root is made of.

    ``python`` is the interpreter binary, ``libraries`` the shared libraries next to it
    (``libpython``), ``stdlib`` the standard library (its ``site-packages`` is hidden),
    ``packages`` the package folders offered inside (numpy and its bundled libraries),
    ``system`` the system library folders they load, ``loader`` the ELF interpreter
    (``/lib64/ld-linux-x86-64.so.2``) and its real path.
    """

    python: str
    libraries: tuple[str, ...]
    stdlib: str
    packages: tuple[str, ...]
    system: tuple[str, ...]
    loader: tuple[str, str]

    @property
    def version(self) -> str:
        return Path(self.stdlib).name  # python3.11

    def paths(self) -> list[str]:
        return [self.python, *self.libraries, self.stdlib, *self.packages, *self.system,
                self.loader[1]]


def elf_interpreter(path: str) -> str:
    """The ELF program interpreter (``PT_INTERP``) a 64-bit executable asks for.

    >>> elf_interpreter(os.path.realpath(sys.executable)).startswith("/")
    True
    """
    with open(path, "rb") as handle:
        head = handle.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            raise SandboxUnavailable(f"{path} is not a 64-bit ELF executable")
        order = "<" if head[5] == 1 else ">"
        phoff, = struct.unpack(order + "Q", head[32:40])
        phentsize, phnum = struct.unpack(order + "HH", head[54:58])
        for index in range(phnum):
            handle.seek(phoff + index * phentsize)
            kind, = struct.unpack(order + "I", handle.read(4))
            if kind == 3:  # PT_INTERP
                handle.seek(phoff + index * phentsize + 8)
                offset, = struct.unpack(order + "Q", handle.read(8))
                handle.seek(phoff + index * phentsize + 32)
                size, = struct.unpack(order + "Q", handle.read(8))
                handle.seek(offset)
                return handle.read(size).rstrip(b"\0").decode()
    raise SandboxUnavailable(f"{path} names no program interpreter")


@functools.lru_cache(maxsize=1)
def find_runtime() -> Runtime:
    """This interpreter, its standard library, numpy, and the system libraries they load.

    The libraries are those a fresh interpreter maps after importing numpy and the standard
    library's extension modules (``_LOADED``), never this process's (the sandbox holds the
    same files whatever the grader itself has imported: a Dask worker, the CLI, pytest),
    together with what the ELF loader resolves (``ld.so --list``) for the interpreter and
    for every extension module of the standard library and of numpy, imported or not.
    Each library is classified by its own folder (``_share_folder``): a folder the sandbox
    may see whole (``/usr/lib/x86_64-linux-gnu``, where Debian keeps ``libpython`` beside
    ``libm``) is bound at its real path; a library in a folder that holds Python packages
    or that other users cannot read (pyenv's ``libpython`` under ``/root``) is bound alone
    into ``/python/lib``, under the name the loader looks for.
    """
    import json

    import numpy

    python = os.path.realpath(sys.executable)
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    numpy_dir = Path(numpy.__file__).resolve().parent
    packages = [str(numpy_dir)]
    if (numpy_dir.parent / "numpy.libs").is_dir():
        packages.append(str(numpy_dir.parent / "numpy.libs"))
    trees = (stdlib, *packages)
    loader = elf_interpreter(python)
    env = {"PATH": os.defpath, **{k: v for k, v in os.environ.items() if k == "LD_LIBRARY_PATH"}}
    mapped = subprocess.run([sys.executable, "-s", "-c", _LOADED], capture_output=True, text=True,
                            check=True, timeout=120, env=env).stdout  # a venv's numpy too
    found = {path: path for path in json.loads(mapped)}  # as the loader named it -> real file
    dynload = Path(sysconfig.get_config_var("DESTSHARED") or Path(stdlib, "lib-dynload"))
    modules = [python, *map(str, dynload.glob("*.so")),
               *(str(p) for tree in packages for p in Path(tree).rglob("*.so*"))]
    found.update(_resolved(loader, modules, env))
    python_paths = _python_paths(trees)
    libraries: dict[str, str] = {}  # name inside /python/lib -> host path
    system: set[str] = set()
    for named, path in sorted(found.items()):
        real = os.path.realpath(path)
        if real == os.path.realpath(loader) or any(_inside(real, tree) for tree in trees):
            continue  # bound on its own, or with its tree
        folder = str(Path(real).parent)
        if _share_folder(folder, python_paths):
            system.add(folder)
        else:
            libraries.setdefault(Path(named).name, named)
    return Runtime(python, tuple(libraries[name] for name in sorted(libraries)), stdlib,
                   tuple(packages), tuple(sorted(system)), (loader, os.path.realpath(loader)))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _python_paths(trees: tuple[str, ...]) -> set[str]:
    """Every folder Python code is imported from here (real paths)."""
    paths = {*trees, *(p for p in sys.path if p), *sysconfig.get_paths().values()}
    return {os.path.realpath(p) for p in paths if os.path.isabs(p)}


def _share_folder(folder: str, python_paths: set[str]) -> bool:
    """Whether the sandbox may see ``folder`` whole: every user can reach and read it, and
    it holds no Python code (binding ``/usr/local/lib`` would show its ``site-packages``)."""
    if "-packages" in folder or any(_inside(p, folder) for p in python_paths):
        return False
    parts = Path(folder).parts
    try:
        for depth in range(1, len(parts)):
            if not os.stat(Path(*parts[:depth])).st_mode & 0o001:
                return False
        return os.stat(folder).st_mode & 0o005 == 0o005
    except OSError:
        return False


def _resolved(loader: str, files: list[str], env: dict) -> dict[str, str]:
    """What the ELF loader finds for each file's needed libraries (``ld.so --list``, what
    ``ldd`` prints): the path it found each at, to that path. Empty if the loader cannot
    list (not glibc or musl); the libraries a fresh interpreter mapped are known anyway."""
    found = {}
    for path in files:
        try:
            listing = subprocess.run([loader, "--list", path], capture_output=True, text=True,
                                     timeout=30, env=env).stdout
        except (OSError, subprocess.TimeoutExpired):
            return found
        for match in re.finditer(r"^\s*\S+ => (/\S+) \(0x", listing, re.MULTILINE):
            found[match[1]] = match[1]
    return found


#: Run in a fresh interpreter: import what a submission may use, list the shared libraries.
_LOADED = """
import json, importlib
for name in ("numpy", "numpy.linalg", "numpy.fft", "numpy.random", "ctypes", "decimal",
             "hashlib", "zlib", "bz2", "lzma", "sqlite3", "ssl", "uuid", "socket", "select",
             "array", "math", "cmath", "random", "datetime", "json", "csv", "struct", "pickle"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
paths = set()
with open("/proc/self/maps") as maps:
    for line in maps:
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and ".so" in parts[5] and parts[5].startswith("/"):
            paths.add(parts[5].strip())
print(json.dumps(sorted(paths)))
"""


def _reachable(path: str, uid: int, gid: int) -> bool:
    """Whether ``uid`` can reach (search every folder above) and read ``path``."""
    def allowed(info: os.stat_result, bit: int) -> bool:
        if info.st_uid == uid:
            return bool(info.st_mode & (bit << 6))
        if info.st_gid == gid:
            return bool(info.st_mode & (bit << 3))
        return bool(info.st_mode & bit)

    parts = Path(path).parts
    for depth in range(1, len(parts)):
        if not allowed(os.stat(Path(*parts[:depth])), 1):
            return False
    return allowed(os.stat(path), 4)


@functools.lru_cache(maxsize=4)
def _linked_runtime(runtime: Runtime) -> Runtime:
    """A copy of ``runtime`` (hard links where the file system allows, else copies) in a
    fresh folder every user can read, for when the sandbox's user cannot reach the
    original (a Python under /root); removed when this process (or pool worker) exits."""
    from multiprocessing.util import Finalize

    _remove_orphans()
    base = Path(tempfile.mkdtemp(prefix=f"gdteach-runtime-{os.getpid()}-"))
    # removed at exit, also in multiprocessing workers (which skip atexit)
    Finalize(None, shutil.rmtree, args=(base, True), exitpriority=0)
    os.chmod(base, 0o755)

    def link(src: str, name: str) -> str:
        target = base / name

        def copy(s: str, d: str) -> None:
            try:
                os.link(s, d)
            except OSError:
                shutil.copy2(s, d)

        if os.path.isdir(src):
            shutil.copytree(src, target, symlinks=True, copy_function=copy,
                            ignore=shutil.ignore_patterns("site-packages", "dist-packages", "test",
                                                          "idlelib", "tkinter"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            copy(src, str(target))
        return str(target)

    linked = Runtime(
        link(runtime.python, "bin/python"),
        tuple(link(p, f"lib/{Path(p).name}") for p in runtime.libraries),
        link(runtime.stdlib, f"stdlib/{Path(runtime.stdlib).name}"),
        tuple(link(p, f"packages/{Path(p).name}") for p in runtime.packages),
        runtime.system, runtime.loader,
    )
    _readable_by_all(base)
    return linked


def _readable_by_all(base: Path) -> None:
    """Give every folder under ``base`` mode 0755 and every file read permission for all
    (execute too where its owner has it), whatever the umask was when they were made
    (under ``umask 077`` the copy's folders would be 0700: "Can't find source path").
    A file hard-linked to an original that others cannot read is copied first, so the
    original's mode is never changed."""
    for folder, _dirs, files in os.walk(base):
        os.chmod(folder, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or info.st_mode & 0o004:
                continue
            if info.st_nlink > 1:
                shutil.copy2(path, path + ".copy")
                os.replace(path + ".copy", path)
            executable = 0o111 if info.st_mode & 0o100 else 0
            os.chmod(path, stat.S_IMODE(info.st_mode) | 0o444 | executable)


def _remove_orphans() -> None:
    """Remove runtime copies left by processes that were killed (a Dask worker, a pool
    worker): this user's ``gdteach-runtime-<pid>-…`` folders whose process is gone."""
    for folder in Path(tempfile.gettempdir()).glob("gdteach-runtime-*-*"):
        try:
            pid = int(folder.name.split("-")[2])
            if folder.lstat().st_uid != os.geteuid() or folder.is_symlink():
                continue
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, OSError):
            continue


def sandbox_user() -> tuple[int, int] | None:
    """``(uid, gid)`` to run sandboxes as: None unless this process is root."""
    if os.geteuid() != 0:
        return None
    for name in (SANDBOX_USER, "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise SandboxUnavailable(f"running as root, but neither user {SANDBOX_USER!r} nor 'nobody' "
                             "exists to run the sandbox as")


def bwrap_command(runtime: Runtime, tmp_mb: int, arguments: list[str]) -> list[str]:
    """The ``bwrap`` command line running the sandbox's Python with ``arguments``."""
    site = f"{INSIDE}/site"
    command = [
        "bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
        "--new-session", "--hostname", "sandbox", "--uid", "65534", "--gid", "65534",
        "--clearenv",
    ]
    for folder in runtime.system:
        command += ["--ro-bind", folder, folder]
    # how the loader finds system libraries (Debian's BLAS is reached through alternatives)
    command += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                "--ro-bind-try", "/etc/alternatives", "/etc/alternatives"]
    if str(Path(runtime.loader[0]).parent) not in runtime.system:
        command += ["--ro-bind", runtime.loader[1], runtime.loader[0]]
    command += ["--ro-bind", runtime.python, f"{INSIDE}/bin/python3"]
    for library in runtime.libraries:
        command += ["--ro-bind", library, f"{INSIDE}/lib/{Path(library).name}"]
    command += ["--ro-bind", runtime.stdlib, f"{INSIDE}/lib/{runtime.version}"]
    for hidden in ("site-packages", "dist-packages"):  # the grader's packages stay outside
        if (Path(runtime.stdlib) / hidden).is_dir():
            command += ["--tmpfs", f"{INSIDE}/lib/{runtime.version}/{hidden}",
                        "--remount-ro", f"{INSIDE}/lib/{runtime.version}/{hidden}"]
    command += ["--tmpfs", site]
    for package in runtime.packages:
        command += ["--ro-bind", package, f"{site}/{Path(package).name}"]
    command += [
        "--remount-ro", site, "--proc", "/proc", "--dev", "/dev",
        "--size", str(tmp_mb << 20), "--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", "/tmp",
        *_environment_args(f"{INSIDE}/lib"), f"{INSIDE}/bin/python3", *arguments,
    ]
    return command


_ENVIRONMENT = {
    "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
}


def _environment_args(library_path: str) -> list[str]:
    args = []
    for name, value in {**_ENVIRONMENT, "LD_LIBRARY_PATH": library_path,
                        "PYTHONPATH": f"{INSIDE}/site"}.items():
        args += ["--setenv", name, value]
    return args


def _driver_args(settings: Any, token: str) -> list[str]:
    return ["-s", "-B", "-c", DRIVER, str(settings.memory_mb << 20), str(settings.processes),
            str(settings.file_size_mb << 20), str(max(1, int(settings.wall_time) + 5)), token]


_LOCK = threading.Lock()


def problem() -> str | None:
    """Why bubblewrap sandboxes cannot run here, or None when they can (tried once)."""
    with _LOCK:
        return _problem()


@functools.lru_cache(maxsize=1)
def _problem() -> str | None:
    if not sys.platform.startswith("linux"):
        return f"sandboxes need Linux namespaces, and this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        version = subprocess.run(["bwrap", "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.split()[-1]
        if tuple(int(part) for part in version.split(".")[:2]) < (0, 8):
            return (f"bubblewrap {version} is too old: 0.8 or newer is needed (for a size-capped "
                    "/tmp and --disable-userns)")
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as err:
        return f"bubblewrap's version could not be read ({err})"
    try:
        user = sandbox_user()
        runtime = _runtime_for(user)
    except (SandboxUnavailable, OSError) as err:
        return str(err)
    return try_runtime(runtime, user)


def try_runtime(runtime: Runtime, user: tuple[int, int] | None) -> str | None:
    """Start the sandbox's Python on ``runtime`` once, as ``user``, and import numpy in it:
    None if that works, else why not (``start_failure``)."""
    command = bwrap_command(runtime, 1, ["-S", "-c", "import numpy.linalg"])
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                **_user_args(user))
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap could not be started ({err})"
    if result.returncode != 0:
        return start_failure(result.stderr, result.returncode, runtime, user)
    return None


def start_failure(stderr: str, status: int, runtime: Runtime, user: tuple[int, int] | None) -> str:
    """Why the sandbox's Python did not start, from its error output, and what to do.

    >>> start_failure("bwrap: setting up uid map: Permission denied", 1, None, None)[:44]
    'bubblewrap cannot create namespaces here (bw'
    """
    lines = stderr.strip().splitlines() or [f"exit status {status}"]
    detail = lines[-1]
    who = f"the sandbox's user (uid {user[0]})" if user else "this user"
    library = re.search(r"error while loading shared libraries: ([^:]+): cannot open", stderr)
    if library:
        return (f"the Python at {runtime.python} cannot start inside the sandbox: the library "
                f"{library[1]} it loads is not there ({detail}). Please report this with the "
                f"output of `ldd {runtime.python}`; meanwhile grade with another Python, or "
                "pass --no-sandbox (unsafe)")
    source = re.fullmatch(r"bwrap: Can't find source path (.+): (.+)", detail)
    if source:
        return (f"{who} cannot read {source[1]}, which the sandbox needs ({detail}): make the "
                "folders above it readable by others (chmod o+rx), or grade with a Python "
                "installed where every user can read it")
    if detail.startswith("bwrap:"):
        return (f"bubblewrap cannot create namespaces here ({detail}): allow unprivileged user "
                "namespaces (sysctl user.max_user_namespaces > 0; on Ubuntu 24.04 also "
                "kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for "
                "bwrap), or grade on a machine or container that allows them, or pass "
                "--no-sandbox (unsafe)")
    return (f"the Python at {runtime.python} cannot import numpy inside the sandbox "
            f"({detail}): please report this; meanwhile grade with another Python, or pass "
            "--no-sandbox (unsafe)")


def _user_args(user: tuple[int, int] | None) -> dict:
    if user is None:
        return {}
    return {"user": user[0], "group": user[1], "extra_groups": []}


def _usable_runtime(user: tuple[int, int] | None) -> Runtime:
    with _LOCK:
        return _runtime_for(user)


@functools.lru_cache(maxsize=4)
def _runtime_for(user: tuple[int, int] | None) -> Runtime:
    runtime = find_runtime()
    if user is None or all(_reachable(path, *user) for path in runtime.paths()):
        return runtime
    return _linked_runtime(runtime)


# --------------------------------------------------------------------------- a session


class Session:
    """One sandbox running ``DRIVER`` for one submission; use as a context manager.

    ``request(kind, payload, label, timeout)`` sends a request and waits for its reply at
    most ``timeout`` seconds (and never past the session's wall time). Anything else ends
    the session with ``SandboxStop``: a time-out, the sandbox dying, more output than
    allowed, or a reply that breaks the protocol.
    """

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.token = secrets.token_hex(8)
        self.seq = 0
        self.read_bytes = 0
        self.frames = 0
        # what was read and not yet taken: bytes from ``self.start`` on (a bytearray taken
        # from the front by moving ``start``, so a long reply costs linear time, not quadratic)
        self.buffer = bytearray()
        self.start = 0
        self.stderr = b""
        self.process: subprocess.Popen | None = None
        self.tmp: str | None = None
        self.deadline = time.monotonic() + settings.wall_time

    def __enter__(self) -> Session:
        if self.settings.sandbox == "bwrap":
            reason = problem()
            if reason is not None:
                raise SandboxUnavailable(reason)
            user = sandbox_user()
            command = bwrap_command(_usable_runtime(user), self.settings.tmp_mb,
                                    _driver_args(self.settings, self.token))
            extra = _user_args(user)
            env, cwd = {}, "/"
        else:
            self.tmp = tempfile.mkdtemp(prefix="gdteach-nosandbox-")
            # the interpreter as started (a venv's python, which has the venv's numpy),
            # never its real path (the base Python, which may have no numpy)
            command = [sys.executable, *_driver_args(self.settings, self.token)]
            env = {**_ENVIRONMENT, "HOME": self.tmp, "TMPDIR": self.tmp}
            if "LD_LIBRARY_PATH" in os.environ:
                env["LD_LIBRARY_PATH"] = os.environ["LD_LIBRARY_PATH"]
            extra, cwd = {}, self.tmp
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, cwd=cwd, start_new_session=True, close_fds=True, **extra)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            os.set_blocking(stream.fileno(), False)
        self.deadline = time.monotonic() + self.settings.wall_time
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Kill the sandbox and everything in it; reap it; remove its folder."""
        process = self.process
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for stream in (process.stdin, process.stdout, process.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
            process.wait()
            self.process = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    # ---------------------------------------------------------------- requests

    def request(self, kind: str, payload: bytes, label: str, timeout: float) -> Reply:
        assert self.process is not None
        deadline = min(time.monotonic() + timeout, self.deadline)
        self._send(f"{kind} {len(payload)}\n".encode() + payload, label, deadline, timeout)
        out: list[str] = []
        while True:
            try:
                seq, status, one, two = self._frame(label, deadline, timeout)
            except SandboxStop as stop:
                stop.out = "".join(out)
                raise
            if status == "out" and seq == self.seq - 1:
                continue  # printed by a thread of the previous cell after its reply: dropped
            if seq != self.seq:
                raise self._broken(label)
            if status != "out":
                break
            out.append(one.decode("utf-8", "replace"))
        self.seq += 1
        return Reply(status, "".join(out) + one.decode("utf-8", "replace"),
                     two.decode("utf-8", "replace"))

    def _frame(self, label: str, deadline: float, timeout: float) -> tuple[int, str, bytes, bytes]:
        self.frames += 1
        if self.frames > MAX_FRAMES:  # each costs the grader a few microseconds
            raise SandboxStop(f"{label} wrote more than {MAX_FRAMES} pieces of output: grading "
                              "stopped there", Code.OUTPUT_FLOOD)
        header = self._read_line(label, deadline, timeout)
        match = re.fullmatch(rb"(\w+) (\d{1,12}) (\w+) (\d{1,12}) (\d{1,12})", header)
        if not match or match[1].decode() != self.token:
            raise self._broken(label)
        one, two = int(match[4]), int(match[5])
        body = self._read_exactly(one + two, label, deadline, timeout)
        return int(match[2]), match[3].decode(), body[:one], body[one:]

    @staticmethod
    def _broken(label: str) -> SandboxStop:
        return SandboxStop(f"the messages from the sandbox broke while running {label} "
                           "(the submission wrote on the grader's channel): grading stopped there",
                           Code.CHANNEL_BROKEN)

    def _send(self, data: bytes, label: str, deadline: float, timeout: float) -> None:
        """Write a request, never waiting past ``deadline`` (a stopped sandbox that does
        not read cannot block the grader)."""
        fd = self.process.stdin.fileno()
        view = memoryview(data)
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_WRITE)
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._late(label, timeout)
                if not selector.select(left):
                    continue
                try:
                    view = view[os.write(fd, view[: 1 << 16]):]
                except BlockingIOError:
                    continue
                except OSError:
                    raise self._died(label) from None

    def _fill(self, label: str, deadline: float, timeout: float) -> None:
        """Read what the sandbox wrote, waiting until ``deadline``."""
        process = self.process
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            selector.register(process.stderr, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._late(label, timeout)
                for key, _ in selector.select(left):
                    try:
                        chunk = os.read(key.fileobj.fileno(), 1 << 16)
                    except BlockingIOError:
                        continue
                    if key.fileobj is process.stderr:
                        if not chunk:
                            selector.unregister(process.stderr)
                        elif len(self.stderr) < 1 << 16:
                            self.stderr += chunk
                        continue
                    if not chunk:
                        raise self._died(label)
                    self.read_bytes += len(chunk)
                    if self.read_bytes > self.settings.output_mb << 20:
                        raise SandboxStop(f"{label} wrote more than {self.settings.output_mb} MB "
                                          "of output: grading stopped there", Code.OUTPUT_FLOOD)
                    self.buffer += chunk
                    return

    def _read_line(self, label: str, deadline: float, timeout: float) -> bytes:
        while (end := self.buffer.find(b"\n", self.start, self.start + 201)) < 0:
            if len(self.buffer) - self.start > 200:
                raise self._broken(label)
            self._fill(label, deadline, timeout)
        return self._take(end - self.start, skip=1)

    def _read_exactly(self, count: int, label: str, deadline: float, timeout: float) -> bytes:
        while len(self.buffer) - self.start < count:
            self._fill(label, deadline, timeout)
        return self._take(count)

    def _take(self, count: int, skip: int = 0) -> bytes:
        data = bytes(self.buffer[self.start : self.start + count])
        self.start += count + skip
        if self.start > 1 << 16 and 2 * self.start > len(self.buffer):  # amortised: linear
            del self.buffer[: self.start]
            self.start = 0
        return data

    def _late(self, label: str, timeout: float) -> SandboxStop:
        if time.monotonic() >= self.deadline - 1e-3:
            return SandboxStop(f"the submission used up its total time of "
                               f"{self.settings.wall_time:g} s at {label}: grading stopped there",
                               Code.WALL_TIME)
        return SandboxStop(f"{label} did not finish within {timeout:g} s (an endless loop or "
                           "very slow code): grading stopped there", Code.CELL_TIMEOUT)

    def _died(self, label: str) -> SandboxStop:
        process = self.process
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if self.seq == 0 and process.returncode not in (None, 0) and self.stderr:
            detail = self.stderr.decode("utf-8", "replace").strip().splitlines()[-1]
            if detail.startswith("bwrap:"):
                return SandboxStop(f"the sandbox could not be started ({detail})",
                                   Code.SANDBOX_FAILED)
        return SandboxStop(f"the kernel died while running {label} (a crash, exit, kill or the "
                           "memory limit): grading stopped there", Code.KERNEL_DIED)
