#!/bin/sh
# Nightly backup (deploy/thidua-backup.service runs it): a consistent snapshot of the running
# installation into $THIDUA_BACKUP_DIR, named by its time, then all but the newest
# $THIDUA_BACKUP_KEEP backups removed. Any failure exits non-zero, so systemd marks the run
# failed (and `systemctl status thidua-backup` or a monitoring check shows it).
set -eu
: "${THIDUA_DATABASE:?set THIDUA_DATABASE to the installation's database URL}"
dir="${THIDUA_BACKUP_DIR:-/var/backups/thidua}"
keep="${THIDUA_BACKUP_KEEP:-14}"
bin="${THIDUA_SERVER_BIN:-/usr/local/bin/thidua-server}"
mkdir -p "$dir"
file="$dir/thidua-$(date -u +%Y%m%dT%H%M%SZ).sqlite3"
"$bin" backup --database "$THIDUA_DATABASE" --to "$file"
# Newest first by name (the names sort by time); keep the first $keep.
ls -1 "$dir"/thidua-*.sqlite3 | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f -- "$old"
done
