#!/usr/bin/env bash
# Sourceable: debian_mirror prints the Debian archive mirror this machine's apt sources use for
# bookworm main (deb822 .sources files first, then one-line .list files); DEBIAN_MIRROR overrides it.
# No mirror's host name is written into the repository: scripts read it from the machine at run time.

# Prints the URI of the Debian archive serving the bookworm suite, read from
# this machine's apt sources (deb822 files first, then one-line lists).
debian_mirror() {
	if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
		printf '%s\n' "$DEBIAN_MIRROR"
		return 0
	fi
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f "$f" ]] || continue
		uri=$(awk '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ &&
					comps ~ /(^| )main( |$)/ && enabled != "no" && uris != "" &&
					(signed == "" || signed ~ /debian-archive-keyring/)) {
					split(uris, u, " "); print u[1]; done = 1; exit
				}
				types = suites = comps = uris = signed = enabled = ""; last = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[ \t]/ { if (last == "uris") uris = uris " " $0; next }
			{
				key = tolower($1); sub(/:$/, "", key); $1 = ""; val = $0
				gsub(/^[ \t]+|[ \t]+$/, "", val); last = key
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "components") comps = val
				else if (key == "signed-by") signed = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { if (!done) flush() }' "$f")
		if [[ -n "$uri" ]]; then
			printf '%s\n' "$uri"
			return 0
		fi
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f "$f" ]] || continue
		uri=$(awk '
			$1 != "deb" { next }
			{
				opts = ""; i = 2
				if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ } opts = opts " " $i; i++ }
				uri = $i; suite = $(i + 1); main = 0
				for (j = i + 2; j <= NF; j++) if ($j == "main") main = 1
				if (suite == "bookworm" && main && (opts !~ /signed-by/ || opts ~ /debian-archive-keyring/)) { print uri; exit }
			}' "$f")
		if [[ -n "$uri" ]]; then
			printf '%s\n' "$uri"
			return 0
		fi
	done
	return 1
}
