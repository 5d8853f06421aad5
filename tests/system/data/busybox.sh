#!/bin/sh
# Run by test_busybox.py with Debian's static busybox, once on LegoOS and once
# in a chroot of the same tree on the host: both must print exactly this.
# Read-only: the archive is the only file system, so nothing is written.
cd /data || exit 1

echo "== files"
ls -1 /data
find /data -type f | sort
wc -l words.txt numbers.csv
wc -c < words.txt

echo "== md5sum"
md5sum words.txt numbers.csv
cat words.txt numbers.csv | md5sum
sort words.txt | md5sum

echo "== word counts"
tr ' ' '\n' < words.txt | sort | uniq -c | sort -k1,1nr -k2 | head -n 10

echo "== awk"
awk -F, 'NR > 1 { n[$1] += $2; s += $3 } END { for (k in n) print k, n[k] | "sort"; close("sort"); print "total size", s }' numbers.csv
awk '{ w += NF; if (length($0) > m) { m = length($0); l = NR } } END { printf "%d words, longest line %d (%d chars)\n", w, l, m }' words.txt

echo "== sed"
sed -n '2,6s/^\([a-z]*\),\([0-9]*\),\([0-9]*\)$/\3 \2 \1/p' numbers.csv
sed -e 's/cache/CACHE/g' -e '/memory/d' words.txt | head -n 5
grep -c cache words.txt
grep -n '^lego' words.txt | cut -d: -f1 | tr '\n' ' '
echo

echo "== sort"
sort -t, -k2,2n numbers.csv | head -n 3
sort -t, -k3,3nr numbers.csv | tail -n 2
cut -d, -f1 numbers.csv | sort -u | wc -l

echo "== loops"
i=0
total=0
while [ $i -lt 50 ]; do
	total=$((total + i * i))
	i=$((i + 1))
done
echo "sum of squares $total"
for f in words.txt numbers.csv busybox.sh; do
	printf '%s %s\n' "$f" "$(wc -l < "$f")"
done
seq 1 20 | while read -r n; do
	case $((n % 15)) in
	0) echo FizzBuzz ;;
	3|6|9|12) echo Fizz ;;
	5|10) echo Buzz ;;
	*) echo "$n" ;;
	esac
done | tr '\n' ' '
echo

echo "== functions and subshells"
count_lines() { wc -l < "$1"; }
echo "words: $(count_lines words.txt), numbers: $(count_lines numbers.csv)"
(cd / && pwd)
pwd
x=$(echo "a b c" | awk '{ print $2 }')
echo "second: $x"
cat <<END | sed 's/^/> /'
here-document line one
here-document with $x and $((6 * 7))
END
seq 100 | xargs -n 10 echo | awk '{ print $1, $NF }' | tail -n 2
echo "exit statuses: $(false; echo $?) $(true; echo $?) $(sh -c 'exit 5'; echo $?)"
echo "== end"
