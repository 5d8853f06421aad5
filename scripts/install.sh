#!/bin/sh
# Install a LegoOS kernel for GRUB on this machine (or under DESTDIR).
#
#   scripts/install.sh VMLINUX [ROLE [DESTDIR]]
#
# ROLE is processor or memory; if omitted it is read from the .config next
# to VMLINUX. DESTDIR comes from the environment or the third argument.
# Installs
#   $DESTDIR/boot/lego-ROLE          the kernel image
#   $DESTDIR/etc/grub.d/42_lego      the GRUB menu generator (scripts/grub.d/42_lego.in)
#   $DESTDIR/etc/default/lego        kernel command lines, only if absent
# and runs update-grub when installing to the real root (empty DESTDIR).

set -eu

die() {
	echo "install.sh: $*" >&2
	exit 1
}

[ $# -ge 1 ] && [ $# -le 3 ] || die "usage: install.sh VMLINUX [ROLE [DESTDIR]]"

vmlinux=$1
role=${2:-}
DESTDIR=${3:-${DESTDIR:-}}
scripts=$(cd "$(dirname "$0")" && pwd)

[ -f "$vmlinux" ] || die "kernel image '$vmlinux' not found (build it first)"

if [ -z "$role" ]; then
	config=$(dirname "$vmlinux")/.config
	if grep -qx 'CONFIG_COMP_PROCESSOR=y' "$config" 2>/dev/null; then
		role=processor
	elif grep -qx 'CONFIG_COMP_MEMORY=y' "$config" 2>/dev/null; then
		role=memory
	else
		die "cannot tell the role of '$vmlinux' from $config; give ROLE=processor or ROLE=memory"
	fi
fi
case "$role" in
	processor|memory) ;;
	*) die "unknown role '$role' (processor or memory)" ;;
esac

if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
	die "installing to / needs root (or set DESTDIR)"
fi

boot_dir=/boot
defaults=/etc/default/lego

install -d "$DESTDIR$boot_dir" "$DESTDIR/etc/grub.d" "$DESTDIR/etc/default"

install -m 0644 "$vmlinux" "$DESTDIR$boot_dir/lego-$role.new"
mv -f "$DESTDIR$boot_dir/lego-$role.new" "$DESTDIR$boot_dir/lego-$role"
echo "installed $DESTDIR$boot_dir/lego-$role"

sed -e "s|@BOOT_DIR@|$boot_dir|g" -e "s|@DEFAULTS_FILE@|$defaults|g" \
	"$scripts/grub.d/42_lego.in" > "$DESTDIR/etc/grub.d/42_lego.new"
chmod 0755 "$DESTDIR/etc/grub.d/42_lego.new"
mv -f "$DESTDIR/etc/grub.d/42_lego.new" "$DESTDIR/etc/grub.d/42_lego"
echo "installed $DESTDIR/etc/grub.d/42_lego"

if [ -e "$DESTDIR$defaults" ]; then
	echo "kept existing $DESTDIR$defaults"
else
	cat > "$DESTDIR$defaults" <<'DEFAULTS'
# Kernel command lines for LegoOS, read by /etc/grub.d/42_lego.
# Run update-grub after changing this file.
# The options are described in Documentation/ of the LegoOS tree.
#
# Processor manager (/boot/lego-processor), for example:
#LEGO_CMDLINE_PROCESSOR="lego.node=0 excache=64M"
LEGO_CMDLINE_PROCESSOR=""
#
# Memory manager (/boot/lego-memory), for example:
#LEGO_CMDLINE_MEMORY="lego.node=1"
LEGO_CMDLINE_MEMORY=""
#
# Multiboot2 modules handed to a manager (files, space separated), e.g.:
#LEGO_MODULES_MEMORY="/boot/lego-initramfs.cpio"
DEFAULTS
	chmod 0644 "$DESTDIR$defaults"
	echo "installed $DESTDIR$defaults"
fi

if [ -z "$DESTDIR" ]; then
	if command -v update-grub >/dev/null 2>&1; then
		update-grub
	else
		echo "update-grub not found: regenerate the GRUB menu by hand (grub-mkconfig)"
	fi
fi
