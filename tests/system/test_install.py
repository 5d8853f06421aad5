"""`make install` and the GRUB script it installs (/etc/grub.d/42_lego).

Everything goes under a DESTDIR in tmp_path; 42_lego runs with a fake
grub-probe and grub-mkrelpath so that it describes a made-up disk instead of
this machine's.
"""

import os
import shutil
import subprocess

import pytest

from lego_vm import REPO

INSTALL = REPO / "scripts" / "install.sh"

FAKE_GRUB_PROBE = """#!/bin/sh
# grub-probe for a made-up disk: one ext2 partition on an MBR disk.
target=
while [ $# -gt 0 ]; do
	case "$1" in
		--target=*) target=${1#--target=} ;;
		-t) shift; target=$1 ;;
	esac
	shift
done
case "$target" in
	device) echo /dev/sda1 ;;
	fs) echo ext2 ;;
	partmap) echo msdos ;;
	abstraction) ;;
	compatibility_hint) echo hd0,msdos1 ;;
	fs_uuid) echo 4c65676f-0000-4000-8000-000000000001 ;;
	hints_string) echo --hint-bios=hd0,msdos1 ;;
	*) exit 1 ;;
esac
"""

# The made-up disk is mounted at DESTDIR: paths are relative to it.
FAKE_GRUB_MKRELPATH = """#!/bin/sh
echo "${1#$LEGO_FAKE_ROOT}"
"""


def write_script(path, text):
    path.write_text(text)
    path.chmod(0o755)
    return path


def run_grub_script(destdir, tmp_path):
    """Run DESTDIR/etc/grub.d/42_lego as grub-mkconfig would; return its stdout."""
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "pkgdatadir": "/usr/share/grub",
        "grub_probe": str(write_script(fake_bin / "grub-probe", FAKE_GRUB_PROBE)),
        "grub_mkrelpath": str(write_script(fake_bin / "grub-mkrelpath", FAKE_GRUB_MKRELPATH)),
        "LEGO_FAKE_ROOT": str(destdir),
        "LEGO_BOOT_DIR": str(destdir / "boot"),
        "LEGO_DEFAULTS": str(destdir / "etc/default/lego"),
    }
    result = subprocess.run([str(destdir / "etc/grub.d/42_lego")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def check_grub_syntax(text, tmp_path):
    if not shutil.which("grub-script-check"):
        pytest.skip("grub-script-check not installed")
    cfg = tmp_path / "check.cfg"
    cfg.write_text(text)
    result = subprocess.run(["grub-script-check", str(cfg)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, f"invalid GRUB script:\n{result.stdout}\n{text}"


def install(vmlinux, role, destdir):
    result = subprocess.run([str(INSTALL), str(vmlinux)] + ([role] if role else []),
                            env=dict(os.environ, DESTDIR=str(destdir)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, result.stdout
    return result.stdout


def set_defaults(destdir, text):
    (destdir / "etc/default/lego").write_text(text)


def test_make_install(kernels, tmp_path):
    vmlinux = kernels.vmlinux("processor")
    destdir = tmp_path / "dest"
    result = subprocess.run(
        ["make", "O=build/processor", "install", f"DESTDIR={destdir}", "ROLE=processor"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, result.stdout[-4000:]

    image = destdir / "boot/lego-processor"
    assert image.read_bytes() == vmlinux.read_bytes()
    script = destdir / "etc/grub.d/42_lego"
    assert os.access(script, os.X_OK)
    assert "LEGO_CMDLINE_PROCESSOR" in (destdir / "etc/default/lego").read_text()

    set_defaults(destdir, 'LEGO_CMDLINE_PROCESSOR="lego.node=0 excache=32M"\n')
    output = run_grub_script(destdir, tmp_path)
    assert "multiboot2\t/boot/lego-processor lego.node=0 excache=32M" in output
    check_grub_syntax(output, tmp_path)


def test_both_roles_get_entries(kernels, tmp_path):
    destdir = tmp_path / "dest"
    install(kernels.vmlinux("processor"), "processor", destdir)
    install(kernels.vmlinux("memory"), "memory", destdir)
    (destdir / "boot/initramfs.cpio").write_bytes(b"070701")
    set_defaults(destdir,
                 'LEGO_CMDLINE_PROCESSOR="lego.node=0"\n'
                 'LEGO_CMDLINE_MEMORY="lego.node=1"\n'
                 f'LEGO_MODULES_MEMORY="{destdir}/boot/initramfs.cpio"\n')

    output = run_grub_script(destdir, tmp_path)
    assert output.count("menuentry ") == 2
    assert "multiboot2\t/boot/lego-processor lego.node=0\n" in output
    assert "multiboot2\t/boot/lego-memory lego.node=1\n" in output
    assert "module2\t/boot/initramfs.cpio 'initramfs.cpio'\n" in output
    assert "search --no-floppy --fs-uuid --set=root" in output
    check_grub_syntax(output, tmp_path)


def test_defaults_file_is_kept(kernels, tmp_path):
    destdir = tmp_path / "dest"
    vmlinux = kernels.vmlinux("processor")
    install(vmlinux, "processor", destdir)
    set_defaults(destdir, "# mine\n")
    output = install(vmlinux, "processor", destdir)
    assert "kept existing" in output
    assert (destdir / "etc/default/lego").read_text() == "# mine\n"


def test_role_from_config(kernels, tmp_path):
    vmlinux = kernels.vmlinux("memory")
    destdir = tmp_path / "dest"
    install(vmlinux, None, destdir)  # role read from build/memory/.config
    assert (destdir / "boot/lego-memory").exists()


def test_no_image_no_entry(tmp_path):
    destdir = tmp_path / "dest"
    fake = tmp_path / "not-a-kernel"
    fake.write_bytes(b"\0" * 4096)
    install(fake, "processor", destdir)  # installs, but it is no Multiboot2 image
    assert run_grub_script(destdir, tmp_path) == ""
    (destdir / "boot/lego-processor").unlink()
    assert run_grub_script(destdir, tmp_path) == ""
