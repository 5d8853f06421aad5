#!/bin/sh
# Install every Debian package the LegoOS tree needs to build, boot and test.
#
#   scripts/setup.sh          install whatever is missing (idempotent)
#   scripts/setup.sh --check  exit 0 if everything is installed, 1 otherwise
#                             (prints the missing packages; installs nothing)
#   scripts/setup.sh --list   print the package list
#
# To add a package, append it to PACKAGES below (one per line, with a comment
# saying what needs it).

set -eu

PACKAGES="
gcc                     # kernel and host tools
make
binutils
libc6-dev
grub-pc-bin             # BIOS GRUB for the rescue ISO
grub-common
grub2-common
xorriso                 # grub-mkrescue writes the ISO with it
mtools                  # grub-mkrescue builds the EFI image with it
qemu-system-x86         # system tests and the cluster launcher
kconfig-frontends-nox   # kconfig-conf / kconfig-mconf
libcmocka-dev           # host unit tests
musl-tools              # static user programs
python3                 # test harness and scripts/lego
python3-pytest
cpio                    # initramfs archives
linux-image-amd64       # the Linux VM's kernel (scripts/linux-vm/build)
linux-headers-amd64     # Kbuild for linux-modules/ (lego_fit.ko ...)
busybox-static          # the Linux VM's user space
kmod                    # modinfo/modprobe for Debian's kernel modules
xz-utils                # compressed kernel modules
iproute2                # ip netns, bridge, tap and tc for scripts/lego --net netns
tcpdump                 # capturing cluster traffic (netns and switch pcap)
iputils-ping            # ping from the cluster's network namespace
"

package_names() {
	printf '%s\n' "$PACKAGES" | sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d'
}

# One dpkg-query call for the whole list (it is called by make, keep it cheap).
missing_packages() {
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
		$(package_names) 2>/dev/null | awk '$2 == "installed" { print $1 }')
	for pkg in $(package_names); do
		if ! printf '%s\n' "$installed" | grep -qx -- "$pkg"; then
			echo "$pkg"
		fi
	done
}

mode=install
case "${1:-}" in
	"") ;;
	--check) mode=check ;;
	--list) package_names; exit 0 ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "setup.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "setup.sh: dpkg-query not found; this script supports Debian (12) hosts only." >&2
	exit 1
fi

missing=$(missing_packages | tr '\n' ' ' | sed 's/ *$//')

if [ -z "$missing" ]; then
	[ "$mode" = check ] || echo "setup.sh: all packages are installed."
	exit 0
fi

if [ "$mode" = check ]; then
	echo "setup.sh: missing packages: $missing" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "setup.sh: need root to install: $missing" >&2
	echo "setup.sh: run as root: apt-get install -y --no-install-recommends $missing" >&2
	exit 1
fi

echo "setup.sh: installing: $missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # word splitting of the package list is intended
if ! $SUDO apt-get update || ! $SUDO apt-get install -y --no-install-recommends $missing; then
	echo "setup.sh: could not install: $missing" >&2
	echo "setup.sh: install them by hand (apt-get install $missing) and re-run." >&2
	exit 1
fi

still=$(missing_packages | tr '\n' ' ' | sed 's/ *$//')
if [ -n "$still" ]; then
	echo "setup.sh: still missing after apt-get: $still" >&2
	exit 1
fi
echo "setup.sh: all packages are installed."
