"""Running one program on a 1P-1M LegoOS cluster, from the host.

Used by `scripts/lego run`/`shell`, the system tests and the ExCache
benchmark:

    tree = standard_tree(tmpdir / "tree")            # busybox, usr/ tests, /etc
    with ProgramRun(["/bin/sh", "-c", "echo hi; exit 3"], files=tree) as run:
        result = run.wait(timeout=300, on_output=print)
    result.status     # 3 (128+N if killed by signal N, None on timeout)
    result.output     # ["hi"]

The pieces, each usable on its own (and unit-tested without a VM):

write_cpio(root, out)   a newc archive of a host directory (what the memory
                        manager serves as files.cpio): directories, regular
                        files and symlinks with their modes and times,
                        owned by root; other file types are skipped
standard_tree(dest)     busybox with its applet links, the usr/ programs in
                        /usr/tests, /etc/passwd and friends, test data in
                        /data
grub_words(...)         the processor's command-line words for a program and
                        its arguments; grub_quote_words() quotes them for
                        grub.cfg (mkiso.sh --grub-args), grub_cmdline()
                        says what GRUB hands the kernel, decode_init_args()
                        is the kernel's decoding of it (the reference: see
                        Documentation/running.md)
ConsoleParser           splits the processor's console into program output
                        and kernel lines, and finds the start and end lines
ProgramRun              boots the cluster with a fresh archive and follows
                        the program to its end
"""

import os
import re
import shlex
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

from lego_cluster import Cluster, ClusterError, ManagerRole
from lego_vm import BUILD, MKISO, REPO, TIMEOUT_SCALE, VMError

BUSYBOX = Path("/bin/busybox")
USR_BUILD = BUILD / "usr"                   # make usr
DATA_DIR = Path(__file__).resolve().parent / "data"
ARCHIVE_NAME = "files.cpio"                 # the GRUB module the memory manager serves
TESTS_DIR = "/usr/tests"                    # where the usr/ programs go in the archive

# What the processor prints around the program (managers/processor/init.c).
RUNNING = re.compile(r"lego: running init: (.*)$")
ENDED = re.compile(r"\[\s*\d+\.\d+\] lego: init (?:exited with code (\d+)"
                   r"|killed by signal (\d+)(?: \((\w+)\))?)")
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d+\] ")

# The processor's console: notice level and above (the start and end lines,
# warnings, errors), not the info lines of the boot.
QUIET_LOGLEVEL = 5

DEFAULT_TIMEOUT = 300


class RunError(Exception):
    """The cluster could not run the program (not: the program failed)."""


# ------------------------------------------------------------------ cpio

CPIO_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def _pad4(length):
    return (4 - length % 4) % 4


def _cpio_header(name, ino, mode, nlink, mtime, size):
    name_bytes = os.fsencode(name) + b"\0"
    fields = (ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, len(name_bytes), 0)
    header = CPIO_MAGIC + b"".join(b"%08x" % field for field in fields)
    return header + name_bytes + b"\0" * _pad4(len(header) + len(name_bytes))


def cpio_members(root):
    """(archive name, host path, lstat) of everything under ROOT, parents
    first, names sorted; ROOT itself is not a member."""
    root = Path(root)
    members = []

    def walk(directory, prefix):
        with os.scandir(directory) as entries:
            for entry in sorted(entries, key=lambda e: os.fsencode(e.name)):
                name = prefix + entry.name
                info = entry.stat(follow_symlinks=False)
                members.append((name, Path(entry.path), info))
                if stat.S_ISDIR(info.st_mode):
                    walk(entry.path, name + "/")

    walk(root, "")
    return members


def write_cpio(root, out, warn=None):
    """Write a newc archive of the directory ROOT to OUT; returns the number
    of members. Names are relative ("bin/sh"); owners are root; hard links
    become separate copies. Sockets, devices and FIFOs are skipped (WARN, a
    callable, hears about each)."""
    count = 0
    with open(out, "wb") as archive:
        for name, path, info in cpio_members(root):
            mode = info.st_mode
            if stat.S_ISDIR(mode):
                data, nlink = b"", 2
            elif stat.S_ISREG(mode):
                data, nlink = path.read_bytes(), 1
            elif stat.S_ISLNK(mode):
                data, nlink = os.fsencode(os.readlink(path)), 1
            else:
                if warn:
                    warn(f"{path}: not a file, directory or symlink; left out of the archive")
                continue
            count += 1
            mtime = max(int(info.st_mtime), 0) & 0xffffffff
            archive.write(_cpio_header(name, count, mode, nlink, mtime, len(data)))
            archive.write(data + b"\0" * _pad4(len(data)))
        archive.write(_cpio_header(TRAILER, 0, 0, 1, 0, 0))
    return count


# ------------------------------------------------------------ the tree

ETC_FILES = {
    "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
    "etc/group": "root:x:0:\n",
    "etc/hostname": "lego\n",
    "etc/shells": "/bin/sh\n/bin/ash\n",
    "etc/profile": "PS1='lego:\\w\\$ '\nexport PS1\n",
}
EMPTY_DIRS = ("root", "tmp", "proc", "dev", "sys", "home")


def busybox_applets(busybox=BUSYBOX):
    """Paths (relative, e.g. "usr/bin/awk") where BUSYBOX installs its applets."""
    result = subprocess.run([str(busybox), "--list-full"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RunError(f"{busybox} --list-full failed: {result.stderr.strip()}")
    return [line.strip().lstrip("/") for line in result.stdout.splitlines() if line.strip()]


def build_usr(log=None):
    """Build the usr/ programs into build/usr (make usr); returns that path."""
    result = subprocess.run(["make", "-C", str(REPO), "usr"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text(result.stdout)
    if result.returncode != 0:
        raise RunError(f"make usr failed:\n{result.stdout[-3000:]}")
    return USR_BUILD


def default_usr_dir():
    """$LEGO_USR_DIR, else build/usr (built with make usr if missing)."""
    if os.environ.get("LEGO_USR_DIR"):
        return Path(os.environ["LEGO_USR_DIR"])
    return USR_BUILD if (USR_BUILD / "workset").exists() else build_usr()


def standard_tree(dest, usr_dir=None, busybox=BUSYBOX, data_dir=DATA_DIR, extra=None):
    """Make the default file tree in DEST (which must not exist) and return it.

    /bin/busybox and a symlink to it for each applet (busybox --list-full),
    the files of USR_DIR (default: default_usr_dir()) in
    /usr/tests, DATA_DIR's files in /data, a minimal /etc and empty /root,
    /tmp, /proc, /dev, /sys, /home. EXTRA maps archive paths ("data/x.sh")
    to file contents (str or bytes) to add, mode 755 if they start with
    "#!".
    """
    dest = Path(dest)
    dest.mkdir(parents=True)
    (dest / "bin").mkdir()
    shutil.copy(busybox, dest / "bin" / "busybox")
    os.chmod(dest / "bin" / "busybox", 0o755)
    for applet in busybox_applets(busybox):
        link = dest / applet
        if link.name == "busybox" or os.path.lexists(link):
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink("/bin/busybox", link)
    if usr_dir is None:
        usr_dir = default_usr_dir()
    tests = dest / TESTS_DIR.lstrip("/")
    tests.mkdir(parents=True)
    for item in sorted(Path(usr_dir).iterdir()):
        if item.is_file():
            shutil.copy2(item, tests / item.name)
    if data_dir and Path(data_dir).is_dir():
        shutil.copytree(data_dir, dest / "data", symlinks=True)
    for name, text in ETC_FILES.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for name in EMPTY_DIRS:
        (dest / name).mkdir(exist_ok=True)
    for name, content in (extra or {}).items():
        path = dest / name.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        path.write_bytes(data)
        os.chmod(path, 0o755 if data.startswith(b"#!") else 0o644)
    return dest


# ----------------------------------------------------- the command line
#
# The kernel's command line comes from GRUB, which builds it from the words
# of the multiboot2 line in grub.cfg: it puts a backslash before every \,
# ' and ", wraps a word holding a space in double quotes, and joins the
# words with spaces. The processor decodes the words after "--" with
# decode_init_args() below. So an argument goes through as long as it is
# not empty (GRUB drops empty words); the init= and init.env= words are
# read by the kernel's plain option parser, which knows quotes but not
# backslashes, so they may not hold \, ' or ".

def check_plain(what, text):
    if text == "" or any(c in text for c in "\\'\"\n\t"):
        raise RunError(f"{what} {text!r}: must be non-empty, without quotes, backslashes, "
                       "tabs or newlines")


def grub_words(path, args=(), env=(), options=()):
    """The processor's command-line words that run PATH with ARGS:
    OPTIONS (kernel options, e.g. "excache=1M"), init=PATH, one init.env=
    per ENV entry ("NAME=VALUE"), "--" and the arguments."""
    if not str(path).startswith("/"):
        raise RunError(f"program {path!r}: give its absolute path inside the archive")
    check_plain("program path", str(path))
    words = list(options) + [f"init={path}"]
    for entry in env:
        if "=" not in entry:
            raise RunError(f"environment entry {entry!r}: want NAME=VALUE")
        check_plain("environment entry", entry)
        words.append(f"init.env={entry}")
    words.append("--")
    for arg in args:
        if arg == "":
            raise RunError("empty arguments cannot be passed (GRUB drops empty words)")
        if "\0" in arg:
            raise RunError("arguments cannot hold NUL bytes")
        words.append(arg)
    return words


def grub_quote(word):
    """WORD as one word of GRUB's script syntax (grub.cfg)."""
    return "'" + word.replace("'", "'\\''") + "'"


def grub_quote_words(words):
    return " ".join(grub_quote(word) for word in words)


def grub_cmdline(words):
    """The command line GRUB 2.06 hands a multiboot2 kernel for WORDS."""
    out = []
    for word in words:
        escaped = re.sub(r"([\\'\"])", r"\\\1", word)
        out.append(f'"{escaped}"' if " " in word else escaped)
    return " ".join(out)


def decode_init_args(text):
    """The program's arguments from the command-line text after "--":
    arguments are separated by spaces outside double quotes; a double quote
    starts or ends a quoted part and is dropped; a backslash makes the next
    character literal, except \\n (newline) and \\t (tab); every other
    character, tab and newline included, is kept."""
    args, current, quoted, started = [], [], False, False
    i = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            quoted, started = not quoted, True
        elif c == "\\" and i + 1 < len(text):
            i += 1
            current.append({"n": "\n", "t": "\t"}.get(text[i], text[i]))
            started = True
        elif c == " " and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def split_cmdline(cmdline):
    """(options text, program arguments) of a whole command line as the
    kernel sees it: the text before a lone "--" and the decoded words after."""
    match = re.search(r"(?:^| )--(?: |$)", cmdline)
    if not match:
        return cmdline, []
    return cmdline[:match.start()], decode_init_args(cmdline[match.end():])


# ------------------------------------------------------- console parsing

class ConsoleParser:
    """Feed it the processor's console lines; it sorts them into

    before   lines before "lego: running init"
    output   the program's output (lines from the console that are not
             kernel lines), in order
    kernel   kernel lines printed while the program ran
    status   None until the end line, then the exit code or 128+signal
    signal   (number, name) if the program was killed
    """

    def __init__(self):
        self.started = False
        self.command = None
        self.status = None
        self.signal = None
        self.before, self.output, self.kernel = [], [], []

    @property
    def ended(self):
        return self.status is not None

    def feed(self, line):
        """One complete console line; returns a list of (kind, text) with kind
        "output", "kernel", "start" or "end"."""
        if self.ended:
            return []
        if not self.started:
            match = RUNNING.search(line)
            if not match:
                self.before.append(line)
                return []
            self.started = True
            self.command = match.group(1)
            return [("start", match.group(1))]
        events = []
        end = ENDED.search(line)
        if end:
            # the program's last line may lack its newline: the end line follows it
            if end.start() > 0:
                events.append(self._output(line[:end.start()]))
            if end.group(1) is not None:
                self.status = int(end.group(1))
            else:
                self.signal = (int(end.group(2)), end.group(3))
                self.status = 128 + int(end.group(2))
            events.append(("end", end.group(0)))
            return events
        if KERNEL_LINE.match(line):
            self.kernel.append(line)
            return [("kernel", line)]
        return [self._output(line)]

    def _output(self, text):
        self.output.append(text)
        return ("output", text)


# ------------------------------------------------------------ the cluster

class RunRole(ManagerRole):
    """A manager whose ISO gets extra command-line words, quoted exactly
    (mkiso.sh --grub-args), and GRUB modules."""

    def __init__(self, role, prefix, words=(), modules=()):
        super().__init__(role, prefix)
        self.words = list(words)
        self.modules = [str(m) for m in modules]

    def boot_media(self, node, rundir):
        words = shlex.split(node.cmdline) + self.words
        args_file = rundir / f"{node.name}.grub-args"
        args_file.write_text(grub_quote_words(words) + "\n")
        iso = rundir / f"{node.name}.iso"
        result = subprocess.run([str(MKISO), "--grub-args", str(args_file), str(self.vmlinux),
                                 str(iso)] + self.modules,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise VMError(f"mkiso.sh failed for {iso}:\n{result.stdout}")
        return iso, []


class RunCluster(Cluster):
    """1P-1M: p0 gets PROCESSOR_WORDS, m0 gets MEMORY_WORDS and the archive."""

    def __init__(self, archive, processor_words, memory_words=(), **options):
        super().__init__(processors=1, memories=1, **options)
        roles = {
            "processor": RunRole("processor", "p", processor_words),
            "memory": RunRole("memory", "m", memory_words, [f"{archive}:{ARCHIVE_NAME}"]),
        }
        self.roles.update(roles)
        for node in self.nodes:
            node.role = roles[node.role.name]


class RunResult:
    def __init__(self, parser, timed_out, logdir):
        self.status = parser.status
        self.signal = parser.signal
        self.output = parser.output
        self.kernel = parser.kernel
        self.before = parser.before
        self.started = parser.started
        self.timed_out = timed_out
        self.logdir = logdir

    def text(self):
        return "\n".join(self.output)


class ProgramRun:
    """Boot 1P-1M with FILES (a directory, archived afresh; None: a
    standard_tree() made in the log directory) and run ARGV.

    ARGV[0] is the program's absolute path in the archive. EXCACHE sets the
    processor's ExCache size ("1M"); APPEND adds processor options (a
    string, split like a shell does); ENV adds "NAME=VALUE" entries to the
    program's environment. POWEROFF ends the processor VM with the program
    (init.exit=poweroff). LOGDIR keeps the consoles, ISOs and archive
    (default: a temporary directory, deleted by close() unless KEEP).
    """

    def __init__(self, argv, files, excache=None, append="", memory_append="", env=(),
                 loglevel=QUIET_LOGLEVEL, poweroff=True, logdir=None, keep=False,
                 mem=256, net="mcast", warn=None):
        if not argv:
            raise RunError("no program given")
        self.argv = [str(a) for a in argv]
        self.files = Path(files) if files is not None else None
        self.own_logdir = logdir is None
        self.logdir = Path(logdir) if logdir else Path(tempfile.mkdtemp(prefix="lego-run."))
        self.keep = keep
        options = []
        if loglevel is not None:
            options.append(f"loglevel={loglevel}")
        if excache:
            options.append(f"excache={excache}")
        if poweroff:
            options.append("init.exit=poweroff")
        options += shlex.split(append)
        self.processor_words = grub_words(self.argv[0], self.argv[1:], env, options)
        self.memory_words = shlex.split(memory_append)
        self.mem = mem
        self.net = net
        self.warn = warn
        self.cluster = None
        self.parser = ConsoleParser()
        self._next = 0

    # --------------------------------------------------------------- life

    def start(self, ready_timeout=180):
        """Archive the files, boot both managers and wait for their ready lines."""
        self.logdir.mkdir(parents=True, exist_ok=True)
        if self.files is None:
            self.files = standard_tree(self.logdir / "tree")
        if not self.files.is_dir():
            raise RunError(f"{self.files}: not a directory")
        archive = self.logdir / ARCHIVE_NAME
        write_cpio(self.files, archive, warn=self.warn)
        self.cluster = RunCluster(archive, self.processor_words, self.memory_words,
                                  logdir=self.logdir, mem=self.mem, net=self.net)
        try:
            self.cluster.start()
            self.cluster.wait_ready(ready_timeout)
        except ClusterError as error:
            raise RunError(str(error)) from None
        return self

    @property
    def processor(self):
        return self.cluster.node("p0").vm

    @property
    def memory(self):
        return self.cluster.node("m0").vm

    def close(self):
        """Stop every VM; delete the temporary log directory unless kept."""
        if self.cluster is not None:
            try:
                self.cluster.stop()
            except ClusterError:
                pass
        if self.own_logdir and not self.keep:
            shutil.rmtree(self.logdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    # ------------------------------------------------------------ output

    def _new_lines(self, timeout):
        """Complete processor console lines not seen yet, waiting up to
        TIMEOUT seconds for one; [] on timeout; None once QEMU is gone and
        every line was seen."""
        vm = self.processor
        deadline = time.monotonic() + timeout
        with vm._cond:
            while len(vm.lines) <= self._next:
                if vm._stdout_done:
                    return None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                vm._cond.wait(remaining)
            lines = vm.lines[self._next:]
            self._next = len(vm.lines)
        return lines

    def follow(self, timeout=DEFAULT_TIMEOUT, on_event=None):
        """Read the console until the program ends, QEMU stops or TIMEOUT
        seconds pass (scaled by LEGO_TIMEOUT_SCALE); ON_EVENT(kind, text)
        hears every event of ConsoleParser.feed as it happens. Returns True
        if the program ended."""
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        while not self.parser.ended:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            lines = self._new_lines(min(remaining, 1.0))
            if lines is None:
                return False
            for line in lines:
                for kind, text in self.parser.feed(line):
                    if on_event:
                        on_event(kind, text)
        return True

    def wait(self, timeout=DEFAULT_TIMEOUT, on_event=None):
        """follow(), then a RunResult (status None if it did not end)."""
        ended = self.follow(timeout, on_event)
        return RunResult(self.parser, timed_out=not ended and self.processor.running(),
                         logdir=self.logdir)

    def why_not_ended(self):
        """A message for a program that did not end: which VM stopped, or the
        tail of the processor's console."""
        for node in self.cluster.nodes:
            if not node.vm.running():
                return (f"{node.name} ({node.role.name}) stopped; its log is "
                        f"{node.vm.log_path}\n{node.vm.tail()}")
        where = "started" if self.parser.started else "did not start"
        return (f"the program {where} and did not end; processor log "
                f"{self.processor.log_path}\n{self.processor.tail()}")


def run_program(argv, files, timeout=DEFAULT_TIMEOUT, **options):
    """Boot, run ARGV to its end, stop; a RunResult. Raises RunError if the
    cluster did not come up."""
    with ProgramRun(argv, files, **options) as run:
        return run.wait(timeout)


# --------------------------------------------------------- result lines

RESULT_LINE = re.compile(r"^(PASS|FAIL) (\w+)(?::? ?(.*))?$")


def result_lines(lines):
    """{name: (PASS|FAIL, rest of the line)} from usr/ test programs' output."""
    results = {}
    for line in lines:
        match = RESULT_LINE.match(line.strip())
        if match:
            results[match.group(2)] = (match.group(1), match.group(3) or "")
    return results


def excache_stats(lines):
    """{name: int} from the lines of `cat /proc/excache` ("name value")."""
    stats = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and re.fullmatch(r"[a-z_0-9]+", parts[0]) and parts[1].isdigit():
            stats[parts[0]] = int(parts[1])
    return stats


def sections(lines, marker="@@"):
    """Split script output at lines "@@ NAME ..." into {NAME: [lines]};
    lines before the first marker go under ""."""
    result = {"": []}
    current = ""
    for line in lines:
        if line.startswith(marker + " "):
            current = line[len(marker) + 1:].strip()
            result.setdefault(current, [])
            continue
        result[current].append(line)
    return result
