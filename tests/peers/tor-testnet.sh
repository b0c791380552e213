#!/usr/bin/env bash
# A private Tor network on loopback, chutney-style, so that a real tor client can bootstrap to
# 100% without the public network: 3 v3 directory authorities (keys from tor-gencert, RSA
# identities from tor --list-fingerprint), 3 relays and 1 bridge with obfs4proxy, all with
# TestingTorNetwork 1 and fast voting (a vote every 20 s). No relay is an exit and every
# address is 127.0.0.1, so nothing can leave the machine; resolv.conf points at 127.0.0.1.
# It starts in a few seconds, but the first consensus takes another ~30-40 s: cases that
# bootstrap give tor a long --timeout (a client keeps asking until the consensus exists).
#   tests/peers/tor-testnet.sh start DIR   # writes DIR/env (below)
#   tests/peers/tor-testnet.sh stop DIR
# DIR/env: TESTNET_DIRAUTH1..3 (torrc DirAuthority lines a client needs, with
# TESTNET_TORRC_EXTRA = "TestingTorNetwork 1"), TESTNET_DIRAUTH_FLAG1..3 (NAME=IP:OR/DIR:FP
# for --dirauth), TESTNET_A1_DIR_PORT, TESTNET_BRIDGE_LINE ("127.0.0.1:PORT FP"),
# TESTNET_OBFS4_LINE ("obfs4 127.0.0.1:PORT FP cert=... iat-mode=0"), TESTNET_LOGS (dir).
# Also sourced by tests/peers/lib.sh (functions tor_testnet_start / tor_testnet_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

TOR_BIN=${TOR_BIN:-tor}
OBFS4PROXY_BIN=${OBFS4PROXY_BIN:-/usr/bin/obfs4proxy}
TESTNET_AUTHS="a1 a2 a3"
TESTNET_RELAYS="r1 r2 r3"

tn_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# tn_rsa_fp DATADIR NICK: creates the node's RSA identity, prints its fingerprint (40 hex).
tn_rsa_fp() {
	"$TOR_BIN" --list-fingerprint --datadirectory "$1" --orport 1 --nickname "$2" \
		--dirserver "x 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff" \
		--ignore-missing-torrc -f /dev/null --quiet 2>/dev/null | tail -n 1 | cut -d' ' -f2- | tr -d ' '
}

# tn_authority_keys DATADIR DIRPORT: v3 authority keys; prints the v3 identity fingerprint.
tn_authority_keys() {
	local d=$1
	mkdir -p "$d/keys"
	echo "" | tor-gencert --create-identity-key --passphrase-fd 0 -m 12 -a "127.0.0.1:$2" \
		-i "$d/keys/authority_identity_key" -s "$d/keys/authority_signing_key" \
		-c "$d/keys/authority_certificate" >/dev/null 2>&1 &&
		sed -n 's/^fingerprint \([0-9A-F]*\)$/\1/p' "$d/keys/authority_certificate"
}

# tn_common DIR NICK: torrc lines every node shares.
tn_common() {
	cat <<EOF
# torready test network node $2 (tests/peers/tor-testnet.sh); loopback only
TestingTorNetwork 1
DataDirectory $1/nodes/$2
Nickname $2
ContactInfo torready-tests@localhost
RunAsDaemon 0
ShutdownWaitLength 0
Log notice file $1/logs/$2.log
SafeLogging 0
Address 127.0.0.1
SocksPort 0
UseDefaultFallbackDirs 0
ServerDNSResolvConfFile $1/resolv.conf
AssumeReachable 1
ExitRelay 0
ExitPolicy reject *:*
$(cat "$1/dirauths")
EOF
}

tn_authority_conf() {
	local dir=$1 n=$2 or=$3 dp=$4
	tn_common "$dir" "$n"
	cat <<EOF
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
ORPort 127.0.0.1:$or
DirPort 127.0.0.1:$dp
V3AuthVotingInterval 20
V3AuthVoteDelay 4
V3AuthDistDelay 4
TestingV3AuthInitialVotingInterval 20
TestingV3AuthInitialVoteDelay 4
TestingV3AuthInitialDistDelay 4
TestingV3AuthVotingStartOffset 0
TestingDirAuthVoteGuard *
TestingDirAuthVoteHSDir *
EOF
}

# tn_generate DIR PORTS...: keys, DirAuthority lines and every torrc.
tn_generate() {
	local dir=$1 n i=0 or dp v3 fp lines=()
	shift
	local -a p=("$@")
	for n in $TESTNET_AUTHS; do
		or=${p[i]} dp=${p[i + 1]}
		i=$((i + 2))
		mkdir -p "$dir/nodes/$n" && chmod 700 "$dir/nodes/$n"
		v3=$(tn_authority_keys "$dir/nodes/$n" "$dp") && fp=$(tn_rsa_fp "$dir/nodes/$n" "$n") || return 1
		[[ $v3 =~ ^[0-9A-F]{40}$ && $fp =~ ^[0-9A-F]{40}$ ]] || { peer_log "tor-testnet: no keys for $n"; return 1; }
		lines+=("DirAuthority $n orport=$or no-v2 v3ident=$v3 127.0.0.1:$dp $fp")
		echo "$n=127.0.0.1:$or/$dp:$fp" >>"$dir/flags"
		echo "$n $or $dp" >>"$dir/authports"
	done
	printf '%s\n' "${lines[@]}" >"$dir/dirauths"
	while read -r n or dp; do
		tn_authority_conf "$dir" "$n" "$or" "$dp" >"$dir/$n.torrc"
	done <"$dir/authports"
	for n in $TESTNET_RELAYS; do
		or=${p[i]}
		i=$((i + 1))
		mkdir -p "$dir/nodes/$n" && chmod 700 "$dir/nodes/$n"
		{ tn_common "$dir" "$n"; echo "ORPort 127.0.0.1:$or"; } >"$dir/$n.torrc"
	done
	mkdir -p "$dir/nodes/b1" && chmod 700 "$dir/nodes/b1"
	{
		tn_common "$dir" b1
		cat <<EOF
BridgeRelay 1
PublishServerDescriptor 0
ORPort 127.0.0.1:${p[i]}
ExtORPort auto
ServerTransportPlugin obfs4 exec $OBFS4PROXY_BIN
ServerTransportListenAddr obfs4 127.0.0.1:${p[i + 1]}
EOF
	} >"$dir/b1.torrc"
	echo "${p[i]} ${p[i + 1]}" >"$dir/bridgeports"
}

tn_write_env() {
	local dir=$1 bor bobfs fp line a1dir vars=() k=1 l
	read -r bor bobfs <"$dir/bridgeports"
	read -r _ fp <"$dir/nodes/b1/fingerprint"
	line=$(grep -m1 '^Bridge obfs4 ' "$dir/nodes/b1/pt_state/obfs4_bridgeline.txt") || return 1
	line=${line#Bridge }
	line=${line/<IP ADDRESS>:<PORT>/127.0.0.1:$bobfs}
	line=${line/<FINGERPRINT>/$fp}
	while read -r l; do vars+=("TESTNET_DIRAUTH$k=$l"); k=$((k + 1)); done <"$dir/dirauths"
	k=1
	while read -r l; do vars+=("TESTNET_DIRAUTH_FLAG$k=$l"); k=$((k + 1)); done <"$dir/flags"
	a1dir=$(awk '$1 == "a1" { print $3 }' "$dir/authports")
	write_env "$dir/env" "${vars[@]}" TESTNET_TORRC_EXTRA="TestingTorNetwork 1" \
		TESTNET_A1_DIR_PORT="$a1dir" TESTNET_BRIDGE_LINE="127.0.0.1:$bor $fp" \
		TESTNET_OBFS4_LINE="$line" TESTNET_LOGS="$dir/logs"
}

tn_wait() {
	local dir=$1 n or dp bor bobfs
	while read -r n or dp; do
		wait_port 127.0.0.1 "$or" 30 "$(cat "$dir/$n.pid")" &&
			wait_port 127.0.0.1 "$dp" 30 "$(cat "$dir/$n.pid")" || return 1
	done <"$dir/authports"
	read -r bor bobfs <"$dir/bridgeports"
	wait_port 127.0.0.1 "$bor" 30 "$(cat "$dir/b1.pid")" &&
		wait_file "$dir/nodes/b1/pt_state/obfs4_bridgeline.txt" 30 "$(cat "$dir/b1.pid")" '^Bridge obfs4 ' &&
		wait_port 127.0.0.1 "$bobfs" 30 "$(cat "$dir/b1.pid")" &&
		wait_file "$dir/nodes/b1/fingerprint" 30 "$(cat "$dir/b1.pid")"
}

tor_testnet_start() {
	local dir=$1 n
	if ! command -v "$TOR_BIN" >/dev/null || ! command -v tor-gencert >/dev/null || [ ! -x "$OBFS4PROXY_BIN" ]; then
		peer_log "tor-testnet needs tor, tor-gencert and obfs4proxy (make deps installs them)"
		return 1
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	rm -rf "$dir/env" "$dir/nodes" "$dir/logs" "$dir/flags" "$dir/authports" "$dir"/*.torrc
	mkdir -p "$dir/logs"
	echo "nameserver 127.0.0.1" >"$dir/resolv.conf"
	: >"$dir/empty-defaults"
	# shellcheck disable=SC2046  # one word per port
	if ! tn_generate "$dir" $(tn_ports 11); then
		peer_log "tor-testnet: generating keys and configuration failed"
		return 1
	fi
	for n in $TESTNET_AUTHS $TESTNET_RELAYS b1; do
		start_daemon "$dir/$n.pid" "$dir/logs/$n.stdout" "$TOR_BIN" -f "$dir/$n.torrc" \
			--defaults-torrc "$dir/empty-defaults"
	done
	if tn_wait "$dir" && tn_write_env "$dir"; then
		return 0
	fi
	peer_log "tor-testnet did not come up; last log lines:"
	tail -n 5 "$dir"/logs/*.log >&2 2>/dev/null
	tor_testnet_stop "$dir"
	return 1
}

tor_testnet_stop() {
	local dir=$1 n
	for n in $TESTNET_AUTHS $TESTNET_RELAYS b1; do stop_daemon "$dir/$n.pid" 10; done
	rm -rf "$dir/nodes"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") tor_testnet_start "$2" ;;
	"stop 2") tor_testnet_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
